package io.pgsplit.it.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsplit.it.admin.AdminHttp;
import io.pgsplit.it.admin.PrometheusScrape;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * While a front-door limit keeps new clients out, {@code /ready} says so (503, naming the limit), {@code /status}
 * and {@code pgsplit_front_door_saturated{limit}} show it, and {@code /health} stays 200: the process lives.
 */
@ExtendWith(SessionClusterExtension.class)
@Timeout(90)
class FrontDoorReadinessTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SessionCluster cluster;

  @BeforeAll
  static void setUp(SessionCluster shared) {
    cluster = shared;
  }

  @Test
  void fullClientLimitMakesReadyAnswer503UntilAClientLeaves() throws Exception {
    try (TestProxy proxy = cluster.proxyConfig().withAdmin().maxClientConnections(3).start()) {
      AdminHttp admin = new AdminHttp(proxy.adminAddress());
      assertThat(admin.get("/ready").statusCode()).isEqualTo(200);
      List<Connection> clients = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          clients.add(proxy.connect());
        }
        HttpResponse<String> ready = admin.get("/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("limits.max_client_connections reached: 3 of 3 clients");
        assertThat(admin.get("/health").statusCode()).isEqualTo(200);
        JsonNode door = JSON.readTree(admin.get("/status").body()).get("front_door");
        assertThat(door.get("saturated")).extracting(JsonNode::asText).containsExactly("max_client_connections");
        assertThat(door.get("clients").asInt()).isEqualTo(3);
        assertThat(saturated(admin, "max_client_connections")).isEqualTo(1);
        assertThat(admin.get("/").body()).contains("NEW CLIENTS CANNOT GET IN: limits.max_client_connections");

        clients.remove(0).close();
        awaitReady(admin);
        assertThat(saturated(admin, "max_client_connections")).isZero();
      } finally {
        for (Connection client : clients) {
          client.close();
        }
      }
    }
  }

  @Test
  void silentConnectionsFillingThePendingLoginsMakeReadyAnswer503UntilTheyGo() throws Exception {
    try (TestProxy proxy = cluster.proxyConfig().withAdmin().maxPendingLogins(2).start()) {
      AdminHttp admin = new AdminHttp(proxy.adminAddress());
      List<Socket> silent = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          silent.add(new Socket(proxy.address().getAddress(), proxy.address().getPort()));
        }
        await("/ready answering 503 for the pending logins").atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(20)).until(() -> admin.get("/ready").statusCode() == 503);
        assertThat(admin.get("/ready").body()).contains("limits.max_pending_logins reached: 2 connections");
        assertThat(admin.get("/health").statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(admin.get("/status").body()).get("front_door").get("saturated"))
            .extracting(JsonNode::asText).containsExactly("max_pending_logins");
        assertThat(saturated(admin, "max_pending_logins")).isEqualTo(1);
      } finally {
        for (Socket socket : silent) {
          socket.close();
        }
      }
      awaitReady(admin);
      assertThat(saturated(admin, "max_pending_logins")).isZero();
    }
  }

  private static void awaitReady(AdminHttp admin) {
    await("/ready answering 200 again").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> admin.get("/ready").statusCode() == 200);
  }

  private static double saturated(AdminHttp admin, String limit) throws IOException, InterruptedException {
    return PrometheusScrape.parse(admin.get("/metrics").body())
        .value("pgsplit_front_door_saturated", "limit", limit);
  }
}
