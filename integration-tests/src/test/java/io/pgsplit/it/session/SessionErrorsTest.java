package io.pgsplit.it.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsplit.cluster.PgNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Errors reach the client as PostgreSQL sends them and leave the session as PostgreSQL would: a failed read on a
 * replica costs nothing, a failed statement in a transaction aborts it until ROLLBACK.
 */
@ExtendWith(SessionClusterExtension.class)
@Timeout(60)
class SessionErrorsTest {
  private static final String DIVISION_BY_ZERO = "22012";
  private static final String IN_FAILED_TRANSACTION = "25P02";
  /** A transaction with a failing statement, then statements until and after its end. */
  private static final List<String> FAILING_TRANSACTION = List.of("BEGIN", "SELECT 1/0", "SELECT 1", "SELECT 2",
      "ROLLBACK", "SELECT 3");

  private static SessionCluster cluster;
  private static TestProxy proxy;

  @BeforeAll
  static void startProxy(SessionCluster shared) {
    cluster = shared;
    proxy = cluster.startProxy();
  }

  @AfterAll
  static void stopProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  /** Each failing statement carries a marker that the server which ran it writes to its log. */
  @Test
  void divisionByZeroOnAReplicaReturns22012AndTheSessionCarriesOnThere() throws SQLException {
    try (Connection connection = proxy.connect(); Statement statement = connection.createStatement()) {
      for (int i = 0; i < 2; i++) {
        String marker = "division_marker_" + UUID.randomUUID().toString().replace('-', '_');
        assertThat(SqlStates.of(() -> statement.execute("SELECT 1/0 AS " + marker))).isEqualTo(DIVISION_BY_ZERO);
        assertThat(nodeWhoseLogMentions(marker)).as("the server that ran the failing read")
            .isIn(cluster.replicaNames());
        assertThat(cluster.ask(connection, "SELECT inet_server_port()").onReplica()).as("the next read").isTrue();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"preferQueryMode=extended", "preferQueryMode=simple"})
  void failedStatementAbortsTheTransactionOnThePrimaryUntilRollbackAsPostgresDoes(String queryMode)
      throws SQLException {
    List<String> direct;
    try (Connection connection = cluster.connectDirectly(cluster.primary())) {
      direct = outcomes(connection, FAILING_TRANSACTION);
    }
    assertThat(direct).as("PostgreSQL's own answers").containsExactly(SqlStates.SUCCESS, DIVISION_BY_ZERO,
        IN_FAILED_TRANSACTION, IN_FAILED_TRANSACTION, SqlStates.SUCCESS, SqlStates.SUCCESS);

    try (Connection connection = proxy.connect(queryMode); Statement statement = connection.createStatement()) {
      statement.execute("BEGIN");
      assertThat(cluster.where(connection)).as("the transaction's server").isEqualTo(cluster.primary().name());
      statement.execute("ROLLBACK");

      assertThat(outcomes(connection, FAILING_TRANSACTION)).isEqualTo(direct);
      assertThat(cluster.ask(connection, "SELECT inet_server_port()").onReplica()).as("a read after ROLLBACK")
          .isTrue();
    }
  }

  @Test
  void failedStatementInAJdbcTransactionFailsTheRestUntilRollback() throws SQLException {
    try (Connection connection = proxy.connect(); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      assertThat(cluster.where(connection)).isEqualTo(cluster.primary().name());
      assertThat(SqlStates.of(() -> statement.execute("SELECT 1/0"))).isEqualTo(DIVISION_BY_ZERO);
      assertThat(SqlStates.of(() -> statement.execute("SELECT 1"))).isEqualTo(IN_FAILED_TRANSACTION);
      connection.rollback();
      assertThat(cluster.where(connection)).as("the next transaction").isEqualTo(cluster.primary().name());
      connection.commit();
      connection.setAutoCommit(true);
      assertThat(cluster.ask(connection, "SELECT inet_server_port()").onReplica()).isTrue();
    }
  }

  private static List<String> outcomes(Connection connection, List<String> statements) throws SQLException {
    List<String> outcomes = new ArrayList<>();
    try (Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        outcomes.add(SqlStates.of(() -> statement.execute(sql)));
      }
    }
    return outcomes;
  }

  /** The one node whose log shows the failed statement; PostgreSQL writes its log line as the error happens. */
  private static String nodeWhoseLogMentions(String marker) {
    List<String> nodes = await("a server log mentioning " + marker).atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> cluster.nodes().stream().filter(node -> ServerLog.mentions(node, marker))
            .map(PgNode::name).toList(), mentioning -> !mentioning.isEmpty());
    assertThat(nodes).as("servers that ran %s", marker).hasSize(1);
    return nodes.get(0);
  }
}
