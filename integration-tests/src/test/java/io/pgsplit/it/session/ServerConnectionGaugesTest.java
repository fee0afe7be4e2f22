package io.pgsplit.it.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsplit.cluster.PgNode;
import io.pgsplit.it.Psql;
import io.pgsplit.it.admin.AdminHttp;
import io.pgsplit.it.admin.PrometheusScrape;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code pgsplit_server_connections{server, state}} agrees with the servers: after sessions that wrote (under
 * read-your-writes, so a WAL-position query follows each commit), every server's gauges add up to the backends
 * pgsplit holds on it, nothing counts as active, and no series ever went negative on the way.
 */
@ExtendWith(SessionClusterExtension.class)
@Timeout(180)
class ServerConnectionGaugesTest {
  private static final List<String> STATES = List.of("active", "idle", "pinned", "opening");
  private static final int SEQUENTIAL_SESSIONS = 8;
  private static final int CONCURRENT_SESSIONS = 6;
  private static final int READERS = 8;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SessionCluster cluster;

  @BeforeAll
  static void setUp(SessionCluster shared) throws SQLException {
    cluster = shared;
    cluster.setUpOnPrimary("DROP TABLE IF EXISTS gauge_rows", "CREATE TABLE gauge_rows (id int)");
  }

  @ParameterizedTest(name = "pool_mode: {0}")
  @ValueSource(strings = {"session", "transaction"})
  void gaugesReturnToTheConnectionsTheServersSeeAfterWritingSessions(String mode) throws Exception {
    try (TestProxy proxy = cluster.proxyConfig().poolMode(mode).consistency("read-your-writes").start();
         GaugeWatch watch = new GaugeWatch(proxy)) {
      for (int i = 0; i < SEQUENTIAL_SESSIONS; i++) {
        writingSession(proxy, i);
      }
      ExecutorService clients = Executors.newFixedThreadPool(CONCURRENT_SESSIONS);
      try {
        List<Future<Void>> done = new ArrayList<>();
        for (int i = 0; i < CONCURRENT_SESSIONS; i++) {
          int id = 100 + i;
          done.add(clients.submit(() -> writingSession(proxy, id)));
        }
        for (Future<Void> client : done) {
          client.get();
        }
      } finally {
        clients.shutdownNow();
      }
      Psql psql = new Psql(proxy.address(), cluster.appUser(), cluster.appPassword());
      for (int i = 0; i < SEQUENTIAL_SESSIONS; i++) { // the simple protocol, as the reporter wrote
        psql.commands("INSERT INTO gauge_rows VALUES (" + (200 + i) + ")", "BEGIN",
            "INSERT INTO gauge_rows VALUES (" + (200 + i) + ")", "COMMIT", "SELECT count(*) FROM gauge_rows")
            .requireSuccess();
      }
      try (Connection open = proxy.connect(); Statement statement = open.createStatement()) {
        statement.executeUpdate("INSERT INTO gauge_rows VALUES (-1)");
        awaitTrueCounts(proxy); // one client still connected, idle after a write
      }
      awaitTrueCounts(proxy);
      assertThat(watch.lowest()).as("lowest value any pgsplit_server_connections series showed").isNotNegative();
    }
  }

  @Test
  void pooledReplicaConnectionsAreCountedUnderLoadAndExactlyAfterIt() throws Exception {
    try (TestProxy proxy = cluster.proxyConfig().withAdmin().start(); GaugeWatch watch = new GaugeWatch(proxy)) {
      AdminHttp admin = new AdminHttp(proxy.adminAddress());
      ExecutorService readers = Executors.newFixedThreadPool(READERS);
      Map<String, Integer> busiestInStatus = new HashMap<>();
      try {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        List<Future<Void>> done = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
          done.add(readers.submit(() -> readUntil(proxy, until)));
        }
        while (System.nanoTime() < until) {
          for (JsonNode server : JSON.readTree(admin.get("/status").body()).get("servers")) {
            JsonNode connections = server.get("connections");
            busiestInStatus.merge(server.get("name").asText(),
                connections.get("active").asInt() + connections.get("idle").asInt(), Math::max);
          }
          Thread.sleep(100);
        }
        for (Future<Void> reader : done) {
          reader.get();
        }
      } finally {
        readers.shutdownNow();
      }
      for (PgNode replica : cluster.replicas()) {
        assertThat(watch.highest(replica.name(), "active")).as("highest active series of %s under load",
            replica.name()).isPositive();
        assertThat(busiestInStatus.get(replica.name())).as("/status connections of %s under load", replica.name())
            .isPositive();
      }
      awaitTrueCounts(proxy);
      JsonNode status = JSON.readTree(admin.get("/status").body());
      for (JsonNode server : status.get("servers")) {
        String name = server.get("name").asText();
        if (cluster.replicaNames().contains(name)) {
          int backends = ProxyBackends.on(node(name), cluster.appUser()).size();
          assertThat(server.get("connections").get("idle").asInt()).as("/status idle of %s", name)
              .isEqualTo(backends).isPositive();
          assertThat(server.get("connections").get("active").asInt()).as("/status active of %s", name).isZero();
        }
      }
      assertThat(watch.lowest()).as("lowest value any pgsplit_server_connections series showed").isNotNegative();
    }
  }

  private static PgNode node(String name) {
    return cluster.nodes().stream().filter(node -> node.name().equals(name)).findFirst().orElseThrow();
  }

  private static Void readUntil(TestProxy proxy, long untilNanos) throws SQLException {
    try (Connection connection = proxy.connect(); Statement statement = connection.createStatement()) {
      while (System.nanoTime() < untilNanos) {
        statement.executeQuery("SELECT count(*), pg_sleep(0.005) FROM gauge_rows").close();
      }
    }
    return null;
  }

  private static Void writingSession(TestProxy proxy, int id) throws SQLException {
    try (Connection connection = proxy.connect(); Statement statement = connection.createStatement()) {
      statement.executeUpdate("INSERT INTO gauge_rows VALUES (" + id + ")");
      statement.executeQuery("SELECT count(*) FROM gauge_rows").close();
      connection.setAutoCommit(false);
      statement.executeUpdate("INSERT INTO gauge_rows VALUES (" + id + ")");
      connection.commit();
      connection.setAutoCommit(true);
      statement.executeQuery("SELECT count(*) FROM gauge_rows").close();
    }
    return null;
  }

  /** Per server: nothing active or opening, and idle plus pinned equal to the backends pgsplit holds there. */
  private static void awaitTrueCounts(TestProxy proxy) {
    for (PgNode node : cluster.nodes()) {
      AtomicReference<String> last = new AtomicReference<>();
      try {
        awaitTrueCount(proxy, node, last);
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError("pgsplit_server_connections of " + node.name() + " never matched its backends; last: "
            + last.get(), e);
      }
    }
  }

  private static void awaitTrueCount(TestProxy proxy, PgNode node, AtomicReference<String> last) {
    await("pgsplit_server_connections of " + node.name() + " matching its backends")
        .atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
        .until(() -> {
          int backends = ProxyBackends.on(node, cluster.appUser()).size();
          PrometheusScrape scrape = proxy.scrape();
          double active = TestProxy.serverConnections(scrape, node.name(), "active");
          double idle = TestProxy.serverConnections(scrape, node.name(), "idle");
          double pinned = TestProxy.serverConnections(scrape, node.name(), "pinned");
          double opening = TestProxy.serverConnections(scrape, node.name(), "opening");
          last.set("backends=" + backends + " active=" + active + " idle=" + idle + " pinned=" + pinned
              + " opening=" + opening);
          return active == 0 && opening == 0 && idle + pinned == backends;
        });
  }

  /** Scrapes in the background and keeps the lowest value any server's connection gauge showed. */
  private static final class GaugeWatch implements AutoCloseable {
    private final TestProxy proxy;
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile double lowest;
    private final Map<String, Double> highest = new ConcurrentHashMap<>();

    GaugeWatch(TestProxy proxy) {
      this.proxy = proxy;
      this.sampler = new Thread(this::sample, "gauge-watch");
      sampler.setDaemon(true);
      sampler.start();
    }

    private void sample() {
      while (running) {
        PrometheusScrape scrape = proxy.scrape(); // one scrape a round: scraping is not free
        for (PgNode node : cluster.nodes()) {
          for (String state : STATES) {
            double value = TestProxy.serverConnections(scrape, node.name(), state);
            lowest = Math.min(lowest, value);
            highest.merge(node.name() + "/" + state, value, Math::max);
          }
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    double highest(String server, String state) {
      return highest.getOrDefault(server + "/" + state, 0.0);
    }

    double lowest() {
      return lowest;
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      sampler.join(2_000);
    }
  }
}
