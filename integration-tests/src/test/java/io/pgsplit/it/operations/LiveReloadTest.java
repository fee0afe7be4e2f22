package io.pgsplit.it.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.pgsplit.cluster.PgNode;
import io.pgsplit.proxy.PgSplitServer;
import io.pgsplit.proxy.config.ConfigException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link PgSplitServer#reload} changes the servers under live sessions without dropping any of them. */
@Timeout(60)
class LiveReloadTest {
  /** Ten health intervals: two probes bring a new server up, the rest is slack for a busy machine. */
  private static final Duration A_FEW_HEALTH_INTERVALS = Duration.ofSeconds(2);
  private static OperationsCluster cluster;
  private static PgNode pg1;
  private static PgNode pg2;
  private static PgNode pg3;

  @BeforeAll
  static void startCluster() throws SQLException {
    cluster = OperationsCluster.start(LiveReloadTest.class);
    pg1 = cluster.primary();
    pg2 = cluster.firstReplica();
    pg3 = cluster.secondReplica();
    cluster.setUpOnPrimary("CREATE TABLE reload_rows (id int)");
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void reloadAddingAReplicaSendsReadsToItOnceHealthy() throws Exception {
    try (PgSplitServer proxy = startProxy(pg1, pg2);
        Connection existing = cluster.connectThrough(proxy.listenAddress())) {
      assertThat(cluster.readsServedBy(existing, 4)).containsOnly(pg2.name());

      proxy.reload(cluster.proxyConfig(pg1, pg2, pg3).parse());

      await("reads on the session opened before the reload to reach pg3").atMost(A_FEW_HEALTH_INTERVALS)
          .untilAsserted(() -> assertThat(cluster.readsServedBy(existing, 2)).contains(pg3.name()));
      try (Connection fresh = cluster.connectThrough(proxy.listenAddress())) {
        assertThat(cluster.readsServedBy(fresh, 4)).containsOnly(pg2.name(), pg3.name()).contains(pg3.name());
      }
      assertThat(insertServedBy(existing, 1)).as("a write on the session opened before the reload")
          .isEqualTo(pg1.name());
      assertThat(proxy.metrics().scrape()).contains("pgsplit_config_reloads_total{result=\"ok\"} 1.0");
    }
  }

  @Test
  void reloadRemovingAReplicaDrainsItWithoutDroppingSessions() throws Exception {
    try (PgSplitServer proxy = startProxy(pg1, pg2, pg3);
        Connection pinned = cluster.connectThrough(proxy.listenAddress());
        Connection idle = cluster.connectThrough(proxy.listenAddress())) {
      await("pg3 to serve reads").atMost(A_FEW_HEALTH_INTERVALS)
          .untilAsserted(() -> assertThat(cluster.readsServedBy(idle, 2)).contains(pg3.name()));
      openReadOnlyTransactionOn(pg3, pinned);
      // Replica connections are pooled per I/O loop: with the sessions on one loop, the idle session's first read
      // gave back the connection the transaction now holds, so only a read made while it is held opens a second.
      assertThat(cluster.readsServedBy(idle, 2)).as("reads of the idle session during the transaction")
          .contains(pg3.name());
      assertThat(cluster.clientSessionsOn(pg3)).as("the transaction's connection and an idle pooled one on pg3")
          .isEqualTo(2);

      proxy.reload(cluster.proxyConfig(pg1, pg2).parse());

      assertThat(cluster.servedBy(pinned)).as("the open transaction after the reload").isEqualTo(pg3.name());
      pinned.commit();
      pinned.setAutoCommit(true);
      pinned.setReadOnly(false);
      assertThat(cluster.readsServedBy(pinned, 4)).as("reads after the transaction").containsOnly(pg2.name());
      assertThat(cluster.readsServedBy(idle, 4)).as("reads of the idle session").containsOnly(pg2.name());
      await("the sessions' connections to pg3 to close").atMost(Duration.ofSeconds(5))
          .until(() -> cluster.clientSessionsOn(pg3) == 0);
      assertThat(insertServedBy(pinned, 2)).isEqualTo(pg1.name());
    }
  }

  @Test
  void brokenConfigIsRejectedWholeAndTheOldOneKeepsRunning() throws Exception {
    try (PgSplitServer proxy = startProxy(pg1, pg2, pg3);
        Connection session = cluster.connectThrough(proxy.listenAddress())) {
      // Without its replicas: were any of this file applied, reads would move to the primary at once.
      ProxyConfigYaml broken = cluster.proxyConfig(pg1).healthSetting("intervall", "50ms");

      Throwable rejection = catchThrowable(broken::parse);
      assertThat(rejection).isInstanceOf(ConfigException.class);
      assertThat(((ConfigException) rejection).key()).isEqualTo("health.intervall");
      proxy.reloadRejected(rejection.getMessage());

      assertThat(proxy.metrics().scrape())
          .contains("pgsplit_config_reloads_total{result=\"error\"} 1.0")
          .contains("pgsplit_config_reloads_total{result=\"ok\"} 0.0");
      await("reads on both replicas").atMost(A_FEW_HEALTH_INTERVALS).untilAsserted(() ->
          assertThat(cluster.readsServedBy(session, 4)).containsOnly(pg2.name(), pg3.name())
              .contains(pg2.name(), pg3.name()));
      assertThat(insertServedBy(session, 3)).isEqualTo(pg1.name());
    }
  }

  private static PgSplitServer startProxy(PgNode... servers) throws ConfigException, InterruptedException {
    return PgSplitServer.start(cluster.proxyConfig(servers).parse());
  }

  /** pgjdbc's read-only transaction (BEGIN READ ONLY) lands on one replica; round-robin reaches pg3 within two. */
  private static void openReadOnlyTransactionOn(PgNode replica, Connection connection) throws SQLException {
    connection.setReadOnly(true);
    connection.setAutoCommit(false);
    for (int attempt = 0; attempt < 4; attempt++) {
      if (cluster.servedBy(connection).equals(replica.name())) {
        return;
      }
      connection.commit();
    }
    throw new AssertionError("No read-only transaction landed on " + replica.name());
  }

  /** Inserts a row and returns the node that wrote it. */
  private static String insertServedBy(Connection connection, int id) throws SQLException {
    return cluster.servedBy(connection, "INSERT INTO reload_rows VALUES (" + id + ") RETURNING inet_server_port()");
  }
}
