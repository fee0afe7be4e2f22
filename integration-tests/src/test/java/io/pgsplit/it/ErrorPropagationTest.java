package io.pgsplit.it;

import static io.pgsplit.it.SqlAssertions.assertFailsWithSqlState;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Server errors reach the client unchanged, and the session's state after them is PostgreSQL's own. */
@ExtendWith(ClusterExtension.class)
@Timeout(60)
class ErrorPropagationTest {
  private static ProxiedCluster cluster;

  @BeforeAll
  static void setUp(ProxiedCluster shared) {
    cluster = shared;
  }

  @ParameterizedTest
  @EnumSource(JdbcMode.class)
  void divisionByZeroReports22012AndTheNextQueryWorks(JdbcMode mode) throws SQLException {
    try (Connection connection = cluster.connect(mode)) {
      assertFailsWithSqlState("22012", () -> Sql.scalar(connection, "SELECT 1/0"));
      assertThat(Sql.scalar(connection, "SELECT 42")).isEqualTo("42");
      assertThat(cluster.where(connection)).isIn(cluster.replicaNames());
    }
  }

  @ParameterizedTest
  @EnumSource(JdbcMode.class)
  void errorInATransactionAbortsItUntilRollback(JdbcMode mode) throws SQLException {
    try (Connection connection = cluster.connect(mode)) {
      connection.setAutoCommit(false);
      assertThat(Sql.scalar(connection, "SELECT 1")).isEqualTo("1");
      assertFailsWithSqlState("22012", () -> Sql.scalar(connection, "SELECT 1/0"));
      assertFailsWithSqlState("25P02", () -> Sql.scalar(connection, "SELECT 2"));
      assertFailsWithSqlState("25P02", () -> Sql.scalar(connection, "SELECT 3"));
      connection.rollback();
      assertThat(Sql.scalar(connection, "SELECT 4")).isEqualTo("4");
      connection.commit();
    }
  }
}
