package io.pgsplit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Statements that write, or must see the primary's current state, run on the primary. Most queries return
 * {@code inet_server_port()} from the very statement under test, so the server that ran it answers for itself.
 */
@ExtendWith(ClusterExtension.class)
@Timeout(60)
class WriteRoutingTest {
  private static final Duration REPLICATION = Duration.ofSeconds(10);
  private static final int LOCKED_ROW = 0;
  private static ProxiedCluster cluster;

  @BeforeAll
  static void setUp(ProxiedCluster shared) throws SQLException {
    cluster = shared;
    cluster.setUpOnPrimary(
        "DROP TABLE IF EXISTS write_routing",
        "CREATE TABLE write_routing (id int PRIMARY KEY, val text)",
        "INSERT INTO write_routing VALUES (" + LOCKED_ROW + ", 'fixed')",
        "DROP SEQUENCE IF EXISTS write_routing_seq",
        "CREATE SEQUENCE write_routing_seq");
  }

  @ParameterizedTest
  @EnumSource(JdbcMode.class)
  void insertUpdateDeleteRunOnThePrimaryAndReadsSeeTheirEffects(JdbcMode mode) throws SQLException {
    int id = idFor(mode, 1);
    try (Connection connection = cluster.connect(mode)) {
      assertThat(servedBy(connection, "INSERT INTO write_routing VALUES (?, 'inserted') RETURNING inet_server_port()",
          id)).isEqualTo(primary());
      awaitValueReadThroughProxy(connection, id, "inserted");

      assertThat(servedBy(connection, "UPDATE write_routing SET val = 'updated' WHERE id = ? RETURNING "
          + "inet_server_port()", id)).isEqualTo(primary());
      awaitValueReadThroughProxy(connection, id, "updated");

      assertThat(servedBy(connection, "DELETE FROM write_routing WHERE id = ? RETURNING inet_server_port()", id))
          .isEqualTo(primary());
      awaitValueReadThroughProxy(connection, id, null);
    }
  }

  @ParameterizedTest
  @EnumSource(JdbcMode.class)
  void nextvalRunsOnThePrimary(JdbcMode mode) throws SQLException {
    try (Connection connection = cluster.connect(mode)) {
      assertThat(servedBy(connection, "SELECT inet_server_port(), nextval('write_routing_seq')"))
          .isEqualTo(primary());
    }
  }

  @ParameterizedTest
  @EnumSource(JdbcMode.class)
  void selectForUpdateRunsOnThePrimary(JdbcMode mode) throws SQLException {
    try (Connection connection = cluster.connect(mode)) {
      assertThat(servedBy(connection, "SELECT inet_server_port(), id FROM write_routing WHERE id = ? FOR UPDATE",
          LOCKED_ROW)).isEqualTo(primary());
    }
  }

  @ParameterizedTest
  @EnumSource(JdbcMode.class)
  void selectFromCteWithUpdateRunsOnThePrimary(JdbcMode mode) throws SQLException {
    try (Connection connection = cluster.connect(mode)) {
      assertThat(servedBy(connection, "WITH touched AS (UPDATE write_routing SET val = val WHERE id = ? RETURNING id)"
          + " SELECT inet_server_port() FROM touched", LOCKED_ROW)).isEqualTo(primary());
    }
  }

  @ParameterizedTest
  @EnumSource(JdbcMode.class)
  void primaryHintSendsASelectToThePrimary(JdbcMode mode) throws SQLException {
    try (Connection connection = cluster.connect(mode)) {
      assertThat(servedBy(connection, "/* pgsplit:primary */ SELECT inet_server_port()")).isEqualTo(primary());
    }
  }

  /** Simple mode sends both statements in one Query; extended mode sends two Parse/Bind/Execute before one Sync. */
  @ParameterizedTest
  @EnumSource(JdbcMode.class)
  void selectFollowedByDeleteInOneRequestRunsOnThePrimary(JdbcMode mode) throws SQLException {
    int id = idFor(mode, 2);
    insertDirectlyOnPrimary(id);
    try (Connection connection = cluster.connect(mode); Statement statement = connection.createStatement()) {
      assertThat(statement.execute("SELECT inet_server_port(); DELETE FROM write_routing WHERE id = " + id)).isTrue();
      try (ResultSet row = statement.getResultSet()) {
        assertThat(row.next()).isTrue();
        assertThat(cluster.nodeListeningOn(row.getInt(1)).name()).isEqualTo(primary());
      }
      assertThat(statement.getMoreResults()).isFalse();
      assertThat(statement.getUpdateCount()).isEqualTo(1);
    }
    assertThat(existsOnPrimary(id)).isFalse();
  }

  /** On a replica EXPLAIN ANALYZE DELETE fails with 25006; success and the missing row prove it ran on the primary. */
  @ParameterizedTest
  @EnumSource(JdbcMode.class)
  void explainAnalyzeDeleteRunsOnThePrimary(JdbcMode mode) throws SQLException {
    int id = idFor(mode, 3);
    insertDirectlyOnPrimary(id);
    try (Connection connection = cluster.connect(mode);
        Statement statement = connection.createStatement();
        ResultSet plan = statement.executeQuery("EXPLAIN ANALYZE DELETE FROM write_routing WHERE id = " + id)) {
      assertThat(plan.next()).isTrue();
      assertThat(plan.getString(1)).contains("Delete on write_routing");
    }
    assertThat(existsOnPrimary(id)).isFalse();
  }

  /** Distinct rows per mode, so the parameterised runs never see each other's rows. */
  private static int idFor(JdbcMode mode, int test) {
    return (mode.ordinal() + 1) * 100 + test;
  }

  private static String primary() {
    return cluster.primary().name();
  }

  /** Runs a query whose first column is inet_server_port(), binding {@code parameters}, and names the node. */
  private static String servedBy(Connection connection, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet row = statement.executeQuery()) {
        assertThat(row.next()).as("a row from %s", sql).isTrue();
        return cluster.nodeListeningOn(row.getInt(1)).name();
      }
    }
  }

  /** Reads go to replicas, so this also waits for the change to replicate. */
  private static void awaitValueReadThroughProxy(Connection connection, int id, String expected) {
    await("value of row " + id + " read through the proxy").atMost(REPLICATION).pollInterval(Duration.ofMillis(20))
        .until(() -> Objects.equals(Sql.scalar(connection, "SELECT val FROM write_routing WHERE id = " + id),
            expected));
  }

  private static void insertDirectlyOnPrimary(int id) throws SQLException {
    try (Connection connection = cluster.connectDirectly(cluster.primary());
        Statement statement = connection.createStatement()) {
      statement.executeUpdate("INSERT INTO write_routing VALUES (" + id + ", 'to delete')");
    }
  }

  private static boolean existsOnPrimary(int id) throws SQLException {
    try (Connection connection = cluster.connectDirectly(cluster.primary())) {
      return Sql.scalar(connection, "SELECT id FROM write_routing WHERE id = " + id) != null;
    }
  }
}
