package io.pgsplit.it;

import static io.pgsplit.it.SqlAssertions.assertFailsWithSqlState;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.cluster.PgNode;
import io.pgsplit.proxy.metrics.RouteCount;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A transaction never spans servers: read-write ones run on the primary, read-only ones on a single replica. */
@ExtendWith(ClusterExtension.class)
@Timeout(60)
class TransactionRoutingTest {
  private static ProxiedCluster cluster;

  @BeforeAll
  static void setUp(ProxiedCluster shared) throws SQLException {
    cluster = shared;
    cluster.setUpOnPrimary(
        "DROP TABLE IF EXISTS tx_routing",
        "CREATE TABLE tx_routing (id int PRIMARY KEY)");
  }

  @ParameterizedTest
  @EnumSource(JdbcMode.class)
  void explicitTransactionRunsEveryStatementIncludingSelectsOnThePrimary(JdbcMode mode) throws SQLException {
    int id = idFor(mode, 1);
    List<String> servedBy = new ArrayList<>();
    try (Connection connection = cluster.connect(mode)) {
      connection.setAutoCommit(false);
      servedBy.add(cluster.where(connection));
      try (Statement statement = connection.createStatement()) {
        statement.executeUpdate("INSERT INTO tx_routing VALUES (" + id + ")");
      }
      servedBy.add(cluster.where(connection));
      // The transaction's own uncommitted row is visible only where the transaction runs.
      assertThat(Sql.scalar(connection, "SELECT id FROM tx_routing WHERE id = " + id)).isEqualTo(Integer.toString(id));
      servedBy.add(cluster.where(connection));
      connection.commit();
    }
    assertThat(servedBy).containsOnly(cluster.primary().name());
    assertThat(existsOn(cluster.primary(), id)).isTrue();
  }

  @ParameterizedTest
  @EnumSource(JdbcMode.class)
  void readOnlyTransactionRunsWhollyOnOneReplica(JdbcMode mode) throws SQLException {
    List<String> servedBy = new ArrayList<>();
    try (Connection connection = cluster.connect(mode)) {
      connection.setReadOnly(true);
      connection.setAutoCommit(false);
      for (int i = 0; i < 6; i++) {
        servedBy.add(cluster.where(connection));
      }
      connection.commit();
    }
    assertThat(servedBy.get(0)).isIn(cluster.replicaNames());
    assertThat(servedBy).as("servers of one read-only transaction").containsOnly(servedBy.get(0));
  }

  @ParameterizedTest
  @EnumSource(JdbcMode.class)
  void writeInReadOnlyTransactionFailsWith25006AndLeavesNoRowAnywhere(JdbcMode mode) throws SQLException {
    int id = idFor(mode, 2);
    long refusedBefore = refusedInReadOnlyTransactions();
    try (Connection connection = cluster.connect(mode)) {
      connection.setReadOnly(true);
      connection.setAutoCommit(false);
      assertThat(cluster.where(connection)).isIn(cluster.replicaNames());
      try (Statement statement = connection.createStatement()) {
        assertFailsWithSqlState("25006", () -> statement.executeUpdate("INSERT INTO tx_routing VALUES (" + id + ")"));
      }
      connection.rollback();
      assertThat(refusedInReadOnlyTransactions()).as("pgsplit_statements_total{server=none,role=refused,"
          + "reason=read_only_transaction}").isEqualTo(refusedBefore + 1);
      // The session is usable again after the failed transaction.
      connection.setReadOnly(false);
      connection.setAutoCommit(true);
      assertThat(cluster.where(connection)).isIn(cluster.replicaNames());
    }
    Replication.awaitReplicasCaughtUp(cluster.cluster());
    for (PgNode node : cluster.cluster().nodes()) {
      assertThat(existsOn(node, id)).as("row %d on %s", id, node.name()).isFalse();
    }
  }

  private static long refusedInReadOnlyTransactions() {
    return cluster.proxy().metrics().routeCounts().stream()
        .filter(count -> count.server().equals("none") && count.role().equals("refused")
            && count.reason().equals("read_only_transaction"))
        .mapToLong(RouteCount::count).sum();
  }

  private static int idFor(JdbcMode mode, int test) {
    return (mode.ordinal() + 1) * 100 + test;
  }

  private static boolean existsOn(PgNode node, int id) throws SQLException {
    try (Connection connection = cluster.connectDirectly(node)) {
      return Sql.scalar(connection, "SELECT id FROM tx_routing WHERE id = " + id) != null;
    }
  }
}
