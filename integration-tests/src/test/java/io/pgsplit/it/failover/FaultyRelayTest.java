package io.pgsplit.it.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The relay itself, against an echo server, before the failover tests trust it with PostgreSQL traffic. */
@Timeout(30)
class FaultyRelayTest {
  private static final int READ_TIMEOUT_MILLIS = 2_000;

  private EchoServer echo;
  private FaultyRelay relay;

  @BeforeEach
  void start() throws IOException {
    echo = EchoServer.start();
    relay = FaultyRelay.start(echo.port());
  }

  @AfterEach
  void stop() throws IOException, InterruptedException {
    try {
      relay.close();
    } finally {
      echo.close();
    }
  }

  /** Written on another thread: more bytes than the socket buffers hold would otherwise block both ends. */
  @Test
  void relaysBytesBothWaysUnchanged() throws Exception {
    byte[] payload = new byte[4 * 1024 * 1024];
    new Random(42).nextBytes(payload);
    try (Socket socket = connect()) {
      CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
        try {
          socket.getOutputStream().write(payload);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      assertThat(socket.getInputStream().readNBytes(payload.length)).isEqualTo(payload);
      written.get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void latencyDelaysEachDirectionAndHealingRemovesIt() throws IOException {
    try (Socket socket = connect()) {
      relay.latency(Duration.ofMillis(50));
      for (int i = 0; i < 3; i++) {
        long started = System.nanoTime();
        assertThat(roundTrip(socket, new byte[] {(byte) i})).containsExactly((byte) i);
        assertThat(millisSince(started)).as("round trip %d", i).isBetween(100L, 1_000L);
      }
      relay.heal();
      long started = System.nanoTime();
      roundTrip(socket, new byte[] {9});
      assertThat(millisSince(started)).isLessThan(50L);
    }
  }

  @Test
  void blackHoleAcceptsAndSwallowsBytesWithoutClosingAnything() throws IOException {
    relay.blackHole();
    try (Socket opened = connect()) {
      opened.setSoTimeout(300);
      opened.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
      assertThatThrownBy(() -> opened.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
      opened.getOutputStream().write("still open".getBytes(StandardCharsets.US_ASCII));
    }
    assertThat(echo.bytesReceived()).isZero();
    relay.heal();
    try (Socket socket = connect()) {
      assertThat(roundTrip(socket, new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
    }
  }

  @Test
  void resetAfterBytesResetsBothSocketsOnceTheBudgetIsSpent() throws Exception {
    try (Socket socket = connect()) {
      assertThat(roundTrip(socket, new byte[] {7})).containsExactly(7);
      relay.resetAfterBytes(1_000);
      socket.getOutputStream().write(new byte[4_000]);
      long received = 0;
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      Throwable ending = null;
      try {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          received += read;
        }
      } catch (SocketException e) {
        ending = e;
      }
      assertThat(ending).as("the client side was reset").isNotNull().hasMessageContaining("reset");
      assertThat(received).isLessThanOrEqualTo(1_000);
    }
    assertThat(echo.awaitConnectionEnd(Duration.ofSeconds(5))).as("the server side was reset")
        .isNotNull().isNotEqualTo(EchoServer.END_OF_STREAM);
    assertThat(relay.resets()).isEqualTo(1);
  }

  @Test
  void refuseRejectsNewConnectionsWhileOpenOnesCarryOn() throws IOException {
    try (Socket open = connect()) {
      assertThat(roundTrip(open, new byte[] {3})).as("accepted before refusing").containsExactly(3);
      relay.refuse();
      assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);
      assertThat(roundTrip(open, new byte[] {4})).containsExactly(4);
      relay.heal();
      try (Socket socket = connect()) {
        assertThat(roundTrip(socket, new byte[] {5})).containsExactly(5);
      }
    }
  }

  @Test
  void closeEndsItsConnectionsAndStopsItsThread() throws IOException {
    String threadPrefix = "faulty-relay-" + relay.port();
    try (Socket socket = connect()) {
      roundTrip(socket, new byte[] {1});
      assertThat(Thread.getAllStackTraces().keySet()).anyMatch(thread -> thread.getName().startsWith(threadPrefix));

      relay.close();

      assertThat(readOrEndOfStream(socket)).isEqualTo(-1);
    }
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(thread -> thread.getName().startsWith(threadPrefix) && thread.isAlive()));
    assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", relay.port()), READ_TIMEOUT_MILLIS);
    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    return socket;
  }

  private static byte[] roundTrip(Socket socket, byte[] payload) throws IOException {
    socket.getOutputStream().write(payload);
    return socket.getInputStream().readNBytes(payload.length);
  }

  /** -1 at a clean end of stream; a reset counts as an end too. */
  private static int readOrEndOfStream(Socket socket) throws IOException {
    try {
      return socket.getInputStream().read();
    } catch (SocketException reset) {
      return -1;
    }
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
