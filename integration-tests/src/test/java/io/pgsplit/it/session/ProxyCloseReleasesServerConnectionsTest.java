package io.pgsplit.it.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A closed pgsplit keeps no server connection: closed right after its clients leave, with a pooled primary
 * connection idle, one being reset for the next client, or one still owed a reply, every backend it opened exits.
 */
@ExtendWith(SessionClusterExtension.class)
@Timeout(120)
class ProxyCloseReleasesServerConnectionsTest {
  private static SessionCluster cluster;

  @BeforeAll
  static void setUp(SessionCluster shared) throws SQLException {
    cluster = shared;
    cluster.setUpOnPrimary("CREATE TABLE IF NOT EXISTS close_rows (n int)");
  }

  @RepeatedTest(12)
  void closingRightAfterTheClientsLeftLeavesNoBackend() throws Exception {
    try (PrimaryBackends backends = PrimaryBackends.sampleFromNone(cluster, cluster.primary())) {
      try (TestProxy single = cluster.proxyConfig().poolMode("transaction").primaryMaxPerServer(1).start();
          Connection first = single.connect(); Connection second = single.connect();
          Statement a = first.createStatement(); Statement b = second.createStatement()) {
        a.execute("SET work_mem = '55MB'");
        onPrimary(b, "current_setting('work_mem')");
        onPrimary(a, "current_setting('work_mem')");
        b.execute("SET work_mem = '66MB'");
        onPrimary(a, "pg_backend_pid()");
      }
      assertThat(backends.highest()).isLessThanOrEqualTo(1);
    }
    try (PrimaryBackends none = PrimaryBackends.sampleFromNone(cluster, cluster.primary())) {
      assertThat(none.now()).isZero();
    }
  }

  @RepeatedTest(5)
  void closingAfterACancelledTransactionLeavesNoBackend() throws Exception {
    try (PrimaryBackends backends = PrimaryBackends.sampleFromNone(cluster, cluster.primary())) {
      try (TestProxy two = cluster.proxyConfig().poolMode("transaction").primaryMaxPerServer(2).start();
          Connection cancelled = two.connect(); Connection bystander = two.connect();
          Statement sleeping = cancelled.createStatement(); Statement other = bystander.createStatement()) {
        cancelled.setAutoCommit(false);
        bystander.setAutoCommit(false);
        sleeping.execute("INSERT INTO close_rows VALUES (1)"); // both hold a primary connection now
        other.execute("INSERT INTO close_rows VALUES (2)");
        CompletableFuture<Void> sleep = CompletableFuture.runAsync(() -> {
          try {
            sleeping.execute("SELECT pg_sleep(30)");
          } catch (SQLException expected) {
            // 57014, cancelled
          }
        });
        Thread.sleep(300);
        sleeping.cancel();
        sleep.get(10, TimeUnit.SECONDS);
        cancelled.rollback();
        bystander.rollback();
      }
      assertThat(backends.highest()).isLessThanOrEqualTo(2);
    }
    try (PrimaryBackends none = PrimaryBackends.sampleFromNone(cluster, cluster.primary())) {
      assertThat(none.now()).isZero();
    }
  }

  private static String onPrimary(Statement statement, String expression) throws SQLException {
    try (ResultSet row = statement.executeQuery("/* pgsplit:primary */ SELECT " + expression)) {
      row.next();
      return row.getString(1);
    }
  }
}
