package io.pgsplit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsplit.cluster.Await;
import io.pgsplit.cluster.PgNode;
import io.pgsplit.it.admin.AdminHttp;
import io.pgsplit.it.failover.FaultyRelay;
import io.pgsplit.proxy.PgSplitServer;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** routing.replica_policy, replica_affinity and servers[].weight with real replicas; each test runs a proxy of its own. */
@ExtendWith(ClusterExtension.class)
@Timeout(180)
class ReplicaPolicyTest {
  private static ProxiedCluster cluster;
  private static String heavy;
  private static String light;

  @BeforeAll
  static void setUp(ProxiedCluster shared) {
    cluster = shared;
    heavy = cluster.replicaNames().get(0);
    light = cluster.replicaNames().get(1);
  }

  private static Connection connect(PgSplitServer proxy) throws SQLException {
    return DriverManager.getConnection(ProxiedCluster.jdbcUrl(proxy.listenAddress()), cluster.cluster().appUser(),
        cluster.cluster().appPassword());
  }

  /** Runs {@code reads} reads on a connection of its own and counts, by node, who answered. */
  private static Map<String, Integer> readsByNode(PgSplitServer proxy, int reads) throws SQLException {
    Map<String, Integer> byNode = new HashMap<>();
    try (Connection connection = connect(proxy)) {
      for (String node : readsOn(connection, reads)) {
        byNode.merge(node, 1, Integer::sum);
      }
    }
    return byNode;
  }

  /** The nodes that answered {@code reads} reads on {@code connection}, in order. */
  private static List<String> readsOn(Connection connection, int reads) throws SQLException {
    List<String> nodes = new ArrayList<>(reads);
    try (Statement statement = connection.createStatement()) {
      for (int i = 0; i < reads; i++) {
        try (ResultSet row = statement.executeQuery("SELECT inet_server_port()")) {
          row.next();
          nodes.add(cluster.nodeListeningOn(row.getInt(1)).name());
        }
      }
    }
    return nodes;
  }

  @Test
  void weightsThreeToOneGiveTheHeavierReplicaThreeReadsInFour() throws Exception {
    try (PgSplitServer proxy = ProxiedCluster.startProxy(ProxyYaml.forCluster(cluster.cluster()).admin()
        .server(heavy, "weight: 3").server(light, "weight: 1"))) {
      Map<String, Integer> byNode = readsByNode(proxy, 400);

      assertThat(byNode.getOrDefault(heavy, 0)).as("reads per node: %s", byNode).isBetween(260, 340);
      assertThat(byNode.getOrDefault(heavy, 0) + byNode.getOrDefault(light, 0)).isEqualTo(400);
      JsonNode status = status(proxy);
      assertThat(status.get("replica_policy").asText()).isEqualTo("round_robin");
      assertThat(status.get("replica_affinity").asText()).isEqualTo("statement");
      assertThat(server(status, heavy).get("replica").get("weight").asInt()).isEqualTo(3);
    }
  }

  @Test
  void weightZeroDrainsAReplicaLiveOnReload() throws Exception {
    ProxyYaml yaml = ProxyYaml.forCluster(cluster.cluster());
    try (PgSplitServer proxy = ProxiedCluster.startProxy(yaml)) {
      assertThat(readsByNode(proxy, 10)).containsKeys(heavy, light);

      proxy.reload(yaml.server(light, "weight: 0").config());

      assertThat(readsByNode(proxy, 20)).containsOnlyKeys(heavy);
    }
  }

  @Test
  void sessionAffinityKeepsEachSessionOnOneReplicaSpreadsTheSessionsAndMovesOneWhoseReplicaIsDrained()
      throws Exception {
    ProxyYaml yaml = ProxyYaml.forCluster(cluster.cluster()).admin().routing("replica_affinity: session");
    try (PgSplitServer proxy = ProxiedCluster.startProxy(yaml);
        Connection first = connect(proxy);
        Connection second = connect(proxy)) {
      List<String> firstReads = readsOn(first, 6);
      List<String> secondReads = readsOn(second, 6);
      String kept = firstReads.get(0);
      String other = kept.equals(heavy) ? light : heavy;

      assertThat(firstReads).as("the first session's reads").containsOnly(kept);
      assertThat(secondReads).as("the second session's, its first read the next turn").containsOnly(other);
      assertThat(readsOn(first, 4)).as("the first session's after the second's").containsOnly(kept);
      assertThat(status(proxy).get("replica_affinity").asText()).isEqualTo("session");

      proxy.reload(yaml.server(kept, "weight: 0").config());

      assertThat(readsOn(first, 4)).as("the first session's once its replica is drained").containsOnly(other);
      assertThat(readsOn(second, 4)).as("the second session's").containsOnly(other);
    }
  }

  @Test
  void leastBusySendsReadsAwayFromTheReplicaBusyWithLongQueries() throws Exception {
    ExecutorService longReads = Executors.newFixedThreadPool(3);
    try (PgSplitServer proxy = ProxiedCluster.startProxy(ProxyYaml.forCluster(cluster.cluster())
        .routing("replica_policy: least_busy"))) {
      List<CompletableFuture<String>> running = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        running.add(CompletableFuture.supplyAsync(() -> longRead(proxy), longReads));
        int inFlight = i;
        Await.until(inFlight + " long reads in flight", Duration.ofSeconds(10),
            () -> lent(proxy, heavy) + lent(proxy, light) == inFlight, () -> "");
      }
      String busier = lent(proxy, heavy) == 2 ? heavy : light;
      String idler = busier.equals(heavy) ? light : heavy;

      Map<String, Integer> byNode = readsByNode(proxy, 20);

      assertThat(byNode).as("short reads while %s runs two long ones: %s", busier, byNode)
          .containsOnlyKeys(idler);
      assertThat(CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
          .thenApply(done -> running.stream().map(CompletableFuture::join).toList()).get())
          .containsOnly(heavy, light);
    } finally {
      longReads.shutdownNow();
    }
  }

  @Test
  void lowestLatencyAvoidsAReplicaBehindA50MillisecondDelay() throws Exception {
    PgNode slow = cluster.cluster().nodes().stream().filter(node -> node.name().equals(light)).findFirst()
        .orElseThrow();
    try (FaultyRelay relay = FaultyRelay.start(slow.port());
        PgSplitServer proxy = ProxiedCluster.startProxy(ProxyYaml.forCluster(cluster.cluster()).admin()
            .serverPort(light, relay.port()).routing("replica_policy: lowest_latency"))) {
      relay.latency(Duration.ofMillis(50));
      Await.until("the delayed replica measured slower", Duration.ofSeconds(10),
          () -> latencyMs(status(proxy), light) > 50, () -> "");

      Map<String, Integer> byNode = readsByNode(proxy, 50);

      assertThat(byNode.getOrDefault(heavy, 0)).as("reads per node: %s", byNode).isGreaterThanOrEqualTo(48);
      try (Connection connection = connect(proxy)) {
        assertThat(RouteExplanations.explain(connection, "SELECT inet_server_port()").server()).isEqualTo(heavy);
      }
      assertThat(status(proxy).get("replica_policy").asText()).isEqualTo("lowest_latency");
    }
  }

  private static String longRead(PgSplitServer proxy) {
    try (Connection connection = connect(proxy); Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT pg_sleep(4), inet_server_port()")) {
      row.next();
      return cluster.nodeListeningOn(row.getInt(2)).name();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int lent(PgSplitServer proxy, String server) {
    return proxy.context().pools().lent(server);
  }

  private static JsonNode status(PgSplitServer proxy) throws Exception {
    InetSocketAddress admin = proxy.adminAddress().orElseThrow();
    return new ObjectMapper().readTree(new AdminHttp(admin).get("/status").body());
  }

  private static JsonNode server(JsonNode status, String name) {
    for (JsonNode server : status.get("servers")) {
      if (server.get("name").asText().equals(name)) {
        return server;
      }
    }
    throw new AssertionError("no server " + name + " in " + status);
  }

  private static double latencyMs(JsonNode status, String name) {
    JsonNode latency = server(status, name).get("replica").get("latency_ms");
    return latency == null || latency.isNull() ? -1 : latency.asDouble();
  }
}
