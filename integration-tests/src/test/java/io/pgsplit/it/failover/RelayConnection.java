package io.pgsplit.it.failover;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * One client connection accepted by a {@link FaultyRelay} and the server connection opened for it. Both channels
 * live on the same event loop, so this state needs no locks.
 */
final class RelayConnection {
  enum Side {
    CLIENT, SERVER;

    Side other() {
      return this == CLIENT ? SERVER : CLIENT;
    }
  }

  private final FaultyRelay relay;
  private final Channel client;
  private Channel server;
  private RelayFault.ResetAfter armedBy;
  private long resetBudget;

  RelayConnection(FaultyRelay relay, Channel client) {
    this.relay = relay;
    this.client = client;
  }

  /** Connects to the target; the client is read from only once the server connection is there to take its bytes. */
  void open(String host, int port) {
    new Bootstrap()
        .group(client.eventLoop())
        .channel(NioSocketChannel.class)
        .option(ChannelOption.AUTO_READ, false)
        .handler(new RelayHandler(relay, this, Side.SERVER))
        .connect(host, port)
        .addListener((ChannelFutureListener) connected -> {
          if (!connected.isSuccess()) {
            client.close();
            return;
          }
          server = connected.channel();
          relay.track(server);
          if (!client.isActive()) {
            server.close();
            return;
          }
          server.config().setAutoRead(true);
          client.config().setAutoRead(true);
        });
  }

  /** Null for the server side until it is connected. */
  Channel channel(Side side) {
    return side == Side.CLIENT ? client : server;
  }

  /**
   * Charges {@code bytes} from the server against the budget armed by {@code fault}; true when they do not fit. A
   * fault this connection has not seen yet arms a fresh budget.
   */
  boolean exceedsResetBudget(RelayFault.ResetAfter fault, int bytes) {
    if (armedBy != fault) {
      armedBy = fault;
      resetBudget = fault.bytes();
    }
    if (bytes > resetBudget) {
      return true;
    }
    resetBudget -= bytes;
    return false;
  }

  /** RST on both sockets (SO_LINGER 0, then close), as a middlebox or a crashed host would do. */
  void reset() {
    abort(client);
    abort(server);
    relay.recordReset();
  }

  /** One side closed: the other follows once what it was already given is flushed. */
  void closed(Side side) {
    Channel peer = channel(side.other());
    if (peer != null && peer.isActive()) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  static void abort(Channel channel) {
    if (channel != null && channel.isOpen()) {
      channel.config().setOption(ChannelOption.SO_LINGER, 0);
      channel.close();
    }
  }
}
