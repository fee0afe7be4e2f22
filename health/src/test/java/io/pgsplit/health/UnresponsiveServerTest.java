package io.pgsplit.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server that accepts connections and never says a word, like a frozen PostgreSQL whose kernel still completes TCP
 * handshakes. pgjdbc's own timeouts are whole seconds; the monitor must give up at its configured timeout.
 */
class UnresponsiveServerTest {

    private static final HealthSettings SETTINGS =
            new HealthSettings(Duration.ofMillis(200), Duration.ofMillis(300), 2, 2, -1, null);

    private ServerSocket silentServer;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    @BeforeEach
    void openSilentServer() throws IOException {
        silentServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(silentServer.accept());
                }
            } catch (IOException closed) {
                // The test is over.
            }
        }, "silent-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void closeSilentServer() throws IOException {
        silentServer.close();
        for (Socket socket : accepted) {
            socket.close();
        }
    }

    @Test
    void probeOfAServerThatNeverAnswersFailsAtTheConfiguredTimeout() {
        ServerAddress silent = new ServerAddress("silent", "127.0.0.1", silentServer.getLocalPort());
        try (HealthMonitor monitor = new HealthMonitor(List.of(silent), SETTINGS,
                new ProbeCredentials("app", "app", "app"))) {
            long started = System.nanoTime();
            monitor.start();

            assertThat(monitor.awaitFirstRound(Duration.ofSeconds(5))).isTrue();

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(800));
            ServerHealth health = monitor.topology().server("silent").orElseThrow();
            assertThat(health.up()).isFalse();
            assertThat(health.role()).isEqualTo(Role.UNKNOWN);
            assertThat(health.lastError()).isEqualTo("no answer within 300 ms");
        }
    }
}
