package io.pgsplit.proxy.admin;

import static io.pgsplit.proxy.metrics.TestTopologies.primary;
import static io.pgsplit.proxy.metrics.TestTopologies.topology;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsplit.health.Topology;
import io.pgsplit.proxy.config.HostPort;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {
    private static final HostPort ANY_FREE_PORT = new HostPort("127.0.0.1", 0);
    private static final byte[] KEEP_ALIVE_REQUEST =
            "GET /health HTTP/1.1\r\nHost: pgsplit\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ProxyMetrics metrics = new ProxyMetrics();
    private final Topology topology = topology(1, primary("pg1"));

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void servesHttpOnTheFreePortItWasGiven() throws Exception {
        try (AdminServer admin = AdminServer.start(ANY_FREE_PORT, () -> topology, metrics)) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI health = URI.create("http://127.0.0.1:" + admin.address().getPort() + "/health");
            HttpRequest request = HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build();

            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

            assertThat(admin.address().getPort()).isPositive();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("ok\n");
        }
    }

    @Test
    void closeStopsListeningAndClosesKeptAliveConnections() throws Exception {
        AdminServer admin = AdminServer.start(ANY_FREE_PORT, () -> topology, metrics);
        InetSocketAddress address = admin.address();
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(KEEP_ALIVE_REQUEST);
            InputStream in = socket.getInputStream();
            assertThat(new String(in.readNBytes("HTTP/1.1 200 OK".length()), StandardCharsets.US_ASCII))
                    .isEqualTo("HTTP/1.1 200 OK");

            admin.close();

            assertThat(in.readAllBytes()).asString(StandardCharsets.US_ASCII).endsWith("ok\n");
        }
        assertThatThrownBy(() -> new Socket(address.getAddress(), address.getPort()).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void anAddressInUseFailsTheStartNamingTheAddress() throws Exception {
        try (AdminServer first = AdminServer.start(ANY_FREE_PORT, () -> topology, metrics)) {
            HostPort taken = new HostPort("127.0.0.1", first.address().getPort());

            assertThatThrownBy(() -> AdminServer.start(taken, () -> topology, metrics))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot listen for admin requests on " + taken);
        }
    }
}
