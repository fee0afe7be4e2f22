package io.pgsplit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsplit.it.admin.AdminHttp;
import io.pgsplit.it.admin.HeadlessChromium;
import io.pgsplit.it.admin.PrometheusScrape;
import io.pgsplit.proxy.PgSplitServer;
import io.pgsplit.proxy.config.ConfigException;
import io.pgsplit.proxy.config.ConfigLoader;
import io.pgsplit.proxy.config.PgSplitConfig;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin HTTP listener of a proxy in front of the real cluster: Prometheus metrics, readiness, the JSON status
 * and the HTML status page as a browser renders it. A client stays connected through the class, so connection
 * gauges have something to count.
 */
@ExtendWith(ClusterExtension.class)
@Timeout(180)
class AdminEndpointsTest {
  private static final Pattern SERVER_ROW =
      Pattern.compile("<tr class=\"([a-z]+)\" data-server=\"([^\"]+)\"><td>[^<]*</td><td>[^<]*</td><td>([A-Z]+)</td>"
          + "<td>([a-z]+)</td>");

  private static ProxiedCluster cluster;
  private static PgSplitServer proxy;
  private static AdminHttp admin;
  private static Connection client;

  @BeforeAll
  static void startProxyWithAdminListener(ProxiedCluster shared) throws Exception {
    cluster = shared;
    cluster.setUpOnPrimary("DROP TABLE IF EXISTS admin_rows", "CREATE TABLE admin_rows (id int)");
    proxy = PgSplitServer.start(adminConfig());
    admin = new AdminHttp(proxy.adminAddress().orElseThrow());
    await().atMost(Duration.ofSeconds(30)).until(() -> admin.get("/ready").statusCode() == 200);
    client = DriverManager.getConnection(ProxiedCluster.jdbcUrl(proxy.listenAddress()), cluster.cluster().appUser(),
        cluster.cluster().appPassword());
    try (Statement statement = client.createStatement()) {
      // Two texts in turn: a session re-sending the very Parse it sent last reuses that statement's classification,
      // so only the alternation makes the classifier's cache answer (a hit) after the first sight of each (a miss).
      for (int i = 0; i < 4; i++) {
        for (String read : List.of("SELECT count(*) FROM admin_rows", "SELECT max(id) FROM admin_rows")) {
          try (ResultSet row = statement.executeQuery(read)) {
            assertThat(row.next()).isTrue();
          }
        }
      }
      statement.executeUpdate("INSERT INTO admin_rows VALUES (1)");
    }
  }

  private static PgSplitConfig adminConfig() throws ConfigException {
    return ConfigLoader.parse(ProxyYaml.forCluster(cluster.cluster()).render() + "admin: 127.0.0.1:0\n",
        "admin-endpoints-test");
  }

  @AfterAll
  static void stopProxy() throws Exception {
    if (client != null) {
      client.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void metricsExposeRoutingServersConnectionsAndTheJvm() throws Exception {
    HttpResponse<String> response = admin.get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    PrometheusScrape scrape = PrometheusScrape.parse(response.body());
    String primary = cluster.primary().name();
    assertThat(primary).isEqualTo("pg1");

    assertThat(scrape.samples("pgsplit_statements_total", "role", "replica", "reason", "read")).as(scrape.text())
        .anySatisfy(sample -> {
          assertThat(sample.labels().get("server")).isIn(cluster.replicaNames());
          assertThat(sample.value()).isPositive();
        });
    assertThat(scrape.value("pgsplit_statements_total", "server", primary, "role", "primary", "reason", "write"))
        .isEqualTo(1);
    for (String server : List.of("pg1", "pg2", "pg3")) {
      assertThat(scrape.value("pgsplit_server_up", "server", server)).as(server).isEqualTo(1);
      assertThat(scrape.value("pgsplit_server_is_primary", "server", server)).as(server)
          .isEqualTo(server.equals(primary) ? 1 : 0);
      assertThat(scrape.value("pgsplit_replica_lag_bytes", "server", server)).as(server).isNotNegative();
      assertThat(scrape.value("pgsplit_replica_lag_seconds", "server", server)).as(server).isNotNegative();
    }
    assertThat(scrape.value("pgsplit_replica_lag_bytes", "server", primary)).isZero();
    assertThat(scrape.value("pgsplit_split_brain")).isZero();
    assertThat(scrape.value("pgsplit_client_connections")).isEqualTo(1);
    assertThat(scrape.value("pgsplit_server_connections", "server", primary, "state", "idle")).isPositive();
    assertThat(scrape.value("pgsplit_server_connections", "server", primary, "state", "active")).isZero();
    assertThat(scrape.value("pgsplit_query_duration_seconds_count", "role", "replica")).isGreaterThanOrEqualTo(4);
    assertThat(scrape.samples("pgsplit_query_duration_seconds_bucket", "role", "primary", "le", "+Inf"))
        .singleElement().satisfies(bucket -> assertThat(bucket.value()).isPositive());
    assertThat(scrape.value("pgsplit_classifier_cache_hits_total")).isPositive();
    assertThat(scrape.value("pgsplit_classifier_cache_misses_total")).isPositive();
    assertThat(scrape.value("pgsplit_config_reloads_total", "result", "ok")).isZero();
    assertThat(scrape.value("pgsplit_config_reloads_total", "result", "error")).isZero();
    assertThat(scrape.samples("jvm_memory_used_bytes", "area", "heap")).isNotEmpty();
    assertThat(scrape.value("process_cpu_usage")).isNotNegative();
    assertThat(scrape.value("process_files_open_files")).isPositive();
  }

  @Test
  void healthAndReadinessAreOkWhileThePrimaryIsKnown() throws Exception {
    assertThat(admin.get("/health").body()).isEqualTo("ok\n");
    HttpResponse<String> ready = admin.get("/ready");

    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ready: primary is " + cluster.primary().name() + "\n");
  }

  @Test
  void unknownPathsAre404AndOtherMethods405() throws Exception {
    assertThat(admin.get("/nope").statusCode()).isEqualTo(404);
    HttpResponse<String> post = admin.post("/metrics");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).hasValue("GET");
  }

  @Test
  void statusListsTheThreeServersWithThePrimaryAndTheRoutingCounters() throws Exception {
    HttpResponse<String> response = admin.get("/status");
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");

    JsonNode status = new ObjectMapper().readTree(response.body());

    assertThat(status.get("primary").asText()).isEqualTo("pg1");
    assertThat(status.get("split_brain").asBoolean()).isFalse();
    assertThat(status.get("clients").asInt()).isEqualTo(1);
    assertThat(status.get("topology_version").asLong()).isPositive();
    List<String> roles = new ArrayList<>();
    for (JsonNode server : status.get("servers")) {
      roles.add(server.get("name").asText() + "=" + server.get("role").asText());
      assertThat(server.get("up").asBoolean()).as(server.toString()).isTrue();
      assertThat(server.get("host").asText()).isEqualTo("127.0.0.1");
      assertThat(server.get("port").asInt()).isEqualTo(cluster.cluster().nodes().stream()
          .filter(node -> node.name().equals(server.get("name").asText())).findFirst().orElseThrow().port());
      assertThat(server.get("wal_lsn").asText()).matches("[0-9A-F]+/[0-9A-F]+");
      assertThat(server.get("last_error").isNull()).isTrue();
      assertThat(server.get("connections").has("active")).isTrue();
      assertThat(server.get("connections").has("idle")).isTrue();
    }
    assertThat(roles).containsExactly("pg1=primary", "pg2=replica", "pg3=replica");
    assertThat(status.get("routing")).anySatisfy(route -> {
      assertThat(route.get("role").asText()).isEqualTo("replica");
      assertThat(route.get("reason").asText()).isEqualTo("read");
      assertThat(route.get("count").asLong()).isPositive();
    });
  }

  @Test
  void statusPageRendersInABrowserWithRolesAndRoutingCounters() throws Exception {
    assumeTrue(HeadlessChromium.isInstalled() || "true".equals(System.getenv("CI")),
        HeadlessChromium.BINARY + " is not installed (in CI, where CI=true, this test must run)");

    String dom = HeadlessChromium.dumpDom(admin.uri("/"));

    List<String> rows = new ArrayList<>();
    Matcher row = SERVER_ROW.matcher(dom);
    while (row.find()) {
      rows.add(row.group(2) + " " + row.group(3) + " " + row.group(4) + " class=" + row.group(1));
    }
    assertThat(rows).as(dom).containsExactly(
        "pg1 UP primary class=primary", "pg2 UP replica class=replica", "pg3 UP replica class=replica");
    assertThat(dom).contains("primary: pg1").contains("<td>replica</td><td>read</td><td class=\"num\">");
    assertThat(dom).as("version, uptime and reload line, rendered by the script from /status")
        .containsPattern("pgsplit [^<]+ \u00b7 up \\d+").contains("last reload: none")
        .contains("pending logins: 0 of 100");
    assertThat(dom).as("the script refreshed the page from /status").contains("<span id=\"updated\">\u00b7 updated ")
        .doesNotContain("class=\"stale\"");
  }
}
