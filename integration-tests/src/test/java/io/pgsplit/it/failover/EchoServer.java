package io.pgsplit.it.failover;

import io.pgsplit.cluster.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Sends every byte back on a thread per connection, and tells how each connection ended: the relay's far side. */
final class EchoServer implements AutoCloseable {
  /** How a connection ended when the client closed it cleanly. */
  static final String END_OF_STREAM = "end of stream";

  private final ServerSocket listener;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final BlockingQueue<String> endings = new LinkedBlockingQueue<>();
  private final AtomicLong bytesReceived = new AtomicLong();

  private EchoServer(ServerSocket listener) {
    this.listener = listener;
  }

  static EchoServer start() throws IOException {
    EchoServer server = new EchoServer(new ServerSocket(FreePorts.pick(), 50, InetAddress.getLoopbackAddress()));
    server.spawn("echo-accept", server::acceptLoop);
    return server;
  }

  int port() {
    return listener.getLocalPort();
  }

  long bytesReceived() {
    return bytesReceived.get();
  }

  /** {@link #END_OF_STREAM}, or the message of the exception that ended the next connection to end; null on timeout. */
  String awaitConnectionEnd(Duration max) throws InterruptedException {
    return endings.poll(max.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void acceptLoop() {
    try {
      while (true) {
        Socket socket = listener.accept();
        sockets.add(socket);
        spawn("echo-" + socket.getPort(), () -> echo(socket));
      }
    } catch (IOException closed) {
      // close() closed the listener.
    }
  }

  private void echo(Socket socket) {
    byte[] buffer = new byte[8192];
    try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        bytesReceived.addAndGet(read);
        out.write(buffer, 0, read);
      }
      endings.add(END_OF_STREAM);
    } catch (IOException e) {
      endings.add(String.valueOf(e.getMessage()));
    }
  }

  private void spawn(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    listener.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    }
  }
}
