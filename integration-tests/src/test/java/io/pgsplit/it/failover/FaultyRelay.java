package io.pgsplit.it.failover;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.pgsplit.cluster.FreePorts;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP relay on 127.0.0.1 in front of one server port whose faults can be switched while connections are open, in
 * the spirit of toxiproxy: the network between pgsplit and one server, misbehaving on demand. Everything runs on the
 * relay's own single event-loop thread ({@code faulty-relay-<port>-*}), which {@link #close()} stops.
 */
public final class FaultyRelay implements AutoCloseable {
  private static final String HOST = "127.0.0.1";
  private static final long CLOSE_TIMEOUT_MILLIS = 5_000;

  private final int port;
  private final EventLoopGroup loop;
  private final ServerBootstrap bootstrap;
  private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
  private final AtomicLong resets = new AtomicLong();
  private volatile long lastResetNanos;
  private volatile RelayFault fault = RelayFault.NONE;

  // Guarded by this.
  private Channel listener;
  private boolean closed;

  private FaultyRelay(int port, int targetPort) {
    this.port = port;
    this.loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("faulty-relay-" + port, true),
        NioIoHandler.newFactory());
    this.bootstrap = new ServerBootstrap()
        .group(loop)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel client) {
            if (fault instanceof RelayFault.Refuse) {
              RelayConnection.abort(client); // accepted while the listener was being closed
              return;
            }
            track(client);
            RelayConnection connection = new RelayConnection(FaultyRelay.this, client);
            client.pipeline().addLast(new RelayHandler(FaultyRelay.this, connection, RelayConnection.Side.CLIENT));
            connection.open(HOST, targetPort);
          }
        });
  }

  /**
   * Listens on a free port outside the kernel's ephemeral range (as the cluster's servers do) and relays every
   * connection to 127.0.0.1:{@code targetPort}.
   */
  public static FaultyRelay start(int targetPort) {
    FaultyRelay relay = new FaultyRelay(FreePorts.pick(), targetPort);
    try {
      relay.switchTo(RelayFault.NONE);
    } catch (RuntimeException e) {
      relay.close();
      throw e;
    }
    return relay;
  }

  public int port() {
    return port;
  }

  /** Delays every chunk, in both directions, by {@code delay}. */
  public void latency(Duration delay) {
    switchTo(new RelayFault.Latency(delay.toNanos()));
  }

  /** Reads and drops every byte in both directions; connections stay open, new ones are accepted. */
  void blackHole() {
    switchTo(new RelayFault.BlackHole());
  }

  /** Each connection, open or new, is reset on both sides once it would pass {@code bytes} more to the client. */
  void resetAfterBytes(long bytes) {
    switchTo(new RelayFault.ResetAfter(bytes));
  }

  /** Stops listening, so new connections are refused by the kernel; open connections carry on. */
  void refuse() {
    switchTo(new RelayFault.Refuse());
  }

  /** Relays faithfully again (and listens again after {@link #refuse()}). */
  void heal() {
    switchTo(RelayFault.NONE);
  }

  /** Connections reset so far by {@link #resetAfterBytes}. */
  long resets() {
    return resets.get();
  }

  /** {@link System#nanoTime()} of the latest reset; 0 before the first. */
  long lastResetNanos() {
    return lastResetNanos;
  }

  RelayFault fault() {
    return fault;
  }

  void track(Channel channel) {
    channels.add(channel);
    channel.closeFuture().addListener(closed -> channels.remove(channel));
  }

  void recordReset() {
    lastResetNanos = System.nanoTime();
    resets.incrementAndGet();
  }

  private synchronized void switchTo(RelayFault next) {
    if (closed) {
      throw new IllegalStateException("relay on port " + port + " is closed");
    }
    fault = next;
    if (next instanceof RelayFault.Refuse) {
      unbind();
    } else if (listener == null) {
      listener = bootstrap.bind(HOST, port).syncUninterruptibly().channel();
    }
  }

  private void unbind() {
    if (listener != null) {
      listener.close().syncUninterruptibly();
      listener = null;
      awaitRefusal();
    }
  }

  /**
   * The JDK frees a listening socket registered with a selector only at the selector's next pass, so for a moment
   * after close() the kernel still completes handshakes (and those connections are reset on accept). Returns once
   * it refuses them.
   */
  private void awaitRefusal() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress(HOST, port), 1_000);
      } catch (ConnectException refused) {
        return;
      } catch (IOException resetOrTimedOut) {
        // Accepted and reset by the closing listener: try again.
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    throw new IllegalStateException("port " + port + " still accepts connections after its listener closed");
  }

  /** Stops listening, closes every relayed connection and stops the relay's thread. Safe to call twice. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      unbind();
    }
    // A server connection still being set up is closed by its connect listener, which finds the client closed.
    List.copyOf(channels).forEach(channel -> channel.close().syncUninterruptibly());
    // Handlers release their delayed chunks in channelInactive, a task queued by close(): let it run first.
    loop.submit(() -> { }).syncUninterruptibly();
    loop.shutdownGracefully(0, CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(CLOSE_TIMEOUT_MILLIS * 2);
  }
}
