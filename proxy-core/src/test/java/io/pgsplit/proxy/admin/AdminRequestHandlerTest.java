package io.pgsplit.proxy.admin;

import static io.pgsplit.proxy.metrics.TestTopologies.down;
import static io.pgsplit.proxy.metrics.TestTopologies.primary;
import static io.pgsplit.proxy.metrics.TestTopologies.replica;
import static io.pgsplit.proxy.metrics.TestTopologies.splitBrain;
import static io.pgsplit.proxy.metrics.TestTopologies.topology;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.pgsplit.health.Role;
import io.pgsplit.health.Topology;
import io.pgsplit.proxy.frontdoor.FrontDoorStatus;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import java.time.Duration;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdminRequestHandlerTest {
    private final ProxyMetrics metrics = new ProxyMetrics();
    private final AtomicReference<Topology> topology = new AtomicReference<>(
            topology(7, primary("pg1"), replica("pg2", 8192, 0.5), down("pg3", "connection refused")));
    private EmbeddedChannel channel = channelOn(topology::get);
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-03T10:00:00Z"));
    private final ProcessState process = new ProcessState("1.2.3", "/etc/pgsplit/pgsplit.yaml", clock);

    private record Response(HttpResponseStatus status, HttpHeaders headers, String body) {
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        metrics.close();
    }

    @Test
    void healthAnswersOkWhileTheProcessServes() {
        Response response = get("/health");

        assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(response.body()).isEqualTo("ok\n");
    }

    @Test
    void readyAnswers200WhileOnePrimaryIsKnown() {
        Response response = get("/ready");

        assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(response.body()).isEqualTo("ready: primary is pg1\n");
    }

    @Test
    void readyAnswers503WithoutAPrimary() {
        topology.set(topology(8, down("pg1", "connection refused"), replica("pg2", 0, 0)));

        Response response = get("/ready");

        assertThat(response.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
        assertThat(response.body()).isEqualTo("not ready: no primary\n");
    }

    @Test
    void readyAnswers503WhileTheProxyIsShuttingDownThoughAPrimaryIsKnown() {
        AdminRequestHandler handler = new AdminRequestHandler(topology::get, metrics);
        channel.finishAndReleaseAll();
        channel = new EmbeddedChannel(handler);

        handler.draining();
        Response response = get("/ready");

        assertThat(response.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
        assertThat(response.body()).isEqualTo("not ready: shutting down\n");
    }

    @Test
    void readyAnswers503NamingSplitBrain() {
        topology.set(splitBrain(9, primary("pg1"), primary("pg2")));

        Response response = get("/ready");

        assertThat(response.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
        assertThat(response.body()).startsWith("not ready: split brain");
    }

    @Test
    void readyAnswers503NamingTheClientLimitWhileNewClientsCannotGetInAndHealthStays200() throws Exception {
        AtomicReference<FrontDoorStatus> door = new AtomicReference<>(frontDoor(3, 0));
        channel.finishAndReleaseAll();
        channel = new EmbeddedChannel(new AdminRequestHandler(topology::get, metrics, () -> RoutingState.NONE,
                process::status, door::get));
        assertThat(get("/ready").status()).isEqualTo(HttpResponseStatus.OK);

        door.set(frontDoor(8, 0)); // 10 slots, 2 of them reserved for admin users
        Response full = get("/ready");

        assertThat(full.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
        assertThat(full.body()).isEqualTo("not ready: new clients cannot get in: limits.max_client_connections reached:"
                + " 8 of 10 clients (2 reserved for admin users)\n");
        assertThat(get("/health").status()).isEqualTo(HttpResponseStatus.OK);
        JsonNode status = new ObjectMapper().readTree(get("/status").body()).get("front_door");
        assertThat(status.get("saturated")).extracting(JsonNode::asText).containsExactly("max_client_connections");
        assertThat(status.get("clients").asInt()).isEqualTo(8);

        door.set(frontDoor(1, 5));
        assertThat(get("/ready").body()).isEqualTo("not ready: new clients cannot get in:"
                + " limits.max_pending_logins reached: 5 connections waiting to log in\n");
    }

    @Test
    void statusShowsVersionUptimeConfigFileAndTheLastReload() throws Exception {
        channel.finishAndReleaseAll();
        channel = new EmbeddedChannel(new AdminRequestHandler(topology::get, metrics, () -> RoutingState.NONE,
                process::status, () -> FrontDoorStatus.UNKNOWN));
        clock.advance(Duration.ofSeconds(3725));
        process.reloaded("error", "servers[1].port: must be between 1 and 65535");

        JsonNode status = new ObjectMapper().readTree(get("/status").body()).get("process");

        assertThat(status.get("version").asText()).isEqualTo("1.2.3");
        assertThat(status.get("uptime_seconds").asLong()).isEqualTo(3725);
        assertThat(status.get("started_at").asText()).isEqualTo("2026-12-03T10:00:00Z");
        assertThat(status.get("config_path").asText()).isEqualTo("/etc/pgsplit/pgsplit.yaml");
        assertThat(status.get("last_reload").get("result").asText()).isEqualTo("error");
        assertThat(status.get("last_reload").get("at").asText()).isEqualTo("2026-12-03T11:02:05Z");
        assertThat(status.get("last_reload").get("detail").asText()).contains("servers[1].port");
        assertThat(get("/").body()).contains("pgsplit 1.2.3 \u00b7 up 1h 2m 5s (since 2026-12-03T10:00:00Z)"
                + " \u00b7 config: /etc/pgsplit/pgsplit.yaml \u00b7 last reload: error at 2026-12-03T11:02:05Z");
    }

    private static FrontDoorStatus frontDoor(int clients, int pending) {
        return FrontDoorStatus.of(clients, 10, 2, pending, 5);
    }

    @Test
    void unknownPathsAnswer404() {
        assertThat(get("/metrics/extra").status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(get("/favicon.ico").status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
    }

    @Test
    void methodsOtherThanGetAnswer405NamingGet() {
        Response response = send(HttpMethod.POST, "/health");

        assertThat(response.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThat(response.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET");
    }

    @Test
    void queryStringsDoNotChangeTheEndpoint() {
        assertThat(get("/health?verbose=1").status()).isEqualTo(HttpResponseStatus.OK);
    }

    @Test
    void metricsAreServedInThePrometheusTextFormat() {
        metrics.bindTopology(topology::get);
        metrics.routed("pg2", Role.REPLICA, "read");

        Response response = get("/metrics");

        assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE))
                .isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body())
                .contains("pgsplit_statements_total{reason=\"read\",role=\"replica\",server=\"pg2\"} 1")
                .contains("pgsplit_server_up{server=\"pg3\"} 0");
    }

    @Test
    void statusReportsServersRoutingAndClientsAsSnakeCaseJson() throws Exception {
        metrics.serverConnectionOpened("pg2");
        metrics.serverConnectionOpened("pg2");
        metrics.serverConnectionBusy("pg2");
        metrics.routed("pg2", Role.REPLICA, "read");
        metrics.clientConnected();

        Response response = get("/status");

        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
        JsonNode status = new ObjectMapper().readTree(response.body());
        assertThat(status.get("primary").asText()).isEqualTo("pg1");
        assertThat(status.get("split_brain").asBoolean()).isFalse();
        assertThat(status.get("clients").asInt()).isEqualTo(1);
        assertThat(status.get("topology_version").asLong()).isEqualTo(7);
        assertThat(status.get("servers")).hasSize(3);
        JsonNode pg1 = status.get("servers").get(0);
        assertThat(pg1.get("name").asText()).isEqualTo("pg1");
        assertThat(pg1.get("role").asText()).isEqualTo("primary");
        assertThat(pg1.get("wal_lsn").asText()).isEqualTo("3/148");
        assertThat(pg1.get("lag_bytes").asLong()).isZero();
        JsonNode pg2 = status.get("servers").get(1);
        assertThat(pg2.get("host").asText()).isEqualTo("127.0.0.1");
        assertThat(pg2.get("port").asInt()).isEqualTo(25433);
        assertThat(pg2.get("up").asBoolean()).isTrue();
        assertThat(pg2.get("role").asText()).isEqualTo("replica");
        assertThat(pg2.get("lag_bytes").asLong()).isEqualTo(8192);
        assertThat(pg2.get("lag_seconds").asDouble()).isEqualTo(0.5);
        assertThat(pg2.get("connections").get("active").asInt()).isEqualTo(1);
        assertThat(pg2.get("connections").get("idle").asInt()).isEqualTo(1);
        JsonNode pg3 = status.get("servers").get(2);
        assertThat(pg3.get("up").asBoolean()).isFalse();
        assertThat(pg3.get("lag_bytes").isNull()).as("a down server's lag is unknown").isTrue();
        assertThat(pg3.get("last_error").asText()).isEqualTo("connection refused");
        assertThat(status.get("routing")).hasSize(1);
        JsonNode route = status.get("routing").get(0);
        assertThat(route.get("server").asText()).isEqualTo("pg2");
        assertThat(route.get("role").asText()).isEqualTo("replica");
        assertThat(route.get("reason").asText()).isEqualTo("read");
        assertThat(route.get("count").asLong()).isEqualTo(1);
    }

    @Test
    void statusHasANullPrimaryDuringSplitBrain() throws Exception {
        topology.set(splitBrain(9, primary("pg1"), primary("pg2")));

        JsonNode status = new ObjectMapper().readTree(get("/status").body());

        assertThat(status.get("split_brain").asBoolean()).isTrue();
        assertThat(status.get("primary").isNull()).isTrue();
    }

    @Test
    void rootServesTheHtmlStatusPage() {
        Response response = get("/");

        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/html; charset=utf-8");
        assertThat(response.body()).startsWith("<!DOCTYPE html>").contains("data-server=\"pg1\"");
    }

    @Test
    void aFailingEndpointAnswers500AndTheConnectionKeepsServing() {
        channel.finishAndReleaseAll();
        channel = channelOn(() -> {
            throw new IllegalStateException("no topology");
        });

        assertThat(get("/ready").status()).isEqualTo(HttpResponseStatus.INTERNAL_SERVER_ERROR);
        assertThat(get("/health").status()).isEqualTo(HttpResponseStatus.OK);
    }

    @Test
    void anUndecodableRequestAnswers400AndAsksToCloseTheConnection() {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/health");
        request.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("bad header")));

        Response response = exchange(request);

        assertThat(response.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
    }

    private EmbeddedChannel channelOn(Supplier<Topology> topologySource) {
        return new EmbeddedChannel(new AdminRequestHandler(topologySource, metrics));
    }

    private Response get(String uri) {
        return send(HttpMethod.GET, uri);
    }

    private Response send(HttpMethod method, String uri) {
        return exchange(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri));
    }

    private Response exchange(FullHttpRequest request) {
        channel.writeInbound(request);
        FullHttpResponse response = channel.readOutbound();
        try {
            assertThat(response.headers().getInt(HttpHeaderNames.CONTENT_LENGTH))
                    .isEqualTo(response.content().readableBytes());
            return new Response(response.status(), response.headers().copy(),
                    response.content().toString(StandardCharsets.UTF_8));
        } finally {
            response.release();
        }
    }
}
