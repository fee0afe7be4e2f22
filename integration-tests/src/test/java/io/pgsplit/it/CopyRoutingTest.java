package io.pgsplit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/** COPY through pgjdbc's CopyManager: out from a replica, in to the primary, with the servers' statistics as proof. */
@ExtendWith(ClusterExtension.class)
@Timeout(60)
class CopyRoutingTest {
  private static final int ROWS = 100;
  private static ProxiedCluster cluster;

  @BeforeAll
  static void setUp(ProxiedCluster shared) throws SQLException {
    cluster = shared;
    cluster.setUpOnPrimary(
        "DROP TABLE IF EXISTS copy_source",
        "CREATE TABLE copy_source (id int, label text)",
        "INSERT INTO copy_source SELECT i, 'row ' || i FROM generate_series(1, " + ROWS + ") i",
        "DROP TABLE IF EXISTS copy_target",
        "CREATE TABLE copy_target (id int, label text)");
  }

  @BeforeEach
  void forgetStatementStatistics() throws SQLException {
    cluster.statementStats().reset();
  }

  @Test
  void copyToStdoutRunsOnAReplica() throws SQLException, IOException {
    StringWriter out = new StringWriter();
    try (Connection connection = cluster.connect()) {
      long copied = copyManager(connection).copyOut("COPY copy_source TO STDOUT", out);
      assertThat(copied).isEqualTo(ROWS);
    }
    assertThat(out.toString().lines()).hasSize(ROWS).contains("1\trow 1", ROWS + "\trow " + ROWS);
    assertThat(cluster.statementStats().callsOnReplicas("COPY copy_source TO STDOUT%")).isEqualTo(1);
    assertThat(StatementStats.calls(cluster.primary(), "COPY copy_source TO STDOUT%")).isZero();
  }

  @Test
  void copyFromStdinRunsOnThePrimaryAndTheRowsArrive() throws SQLException, IOException {
    String data = IntStream.rangeClosed(1, ROWS).mapToObj(i -> i + "\tcopied " + i + "\n")
        .collect(Collectors.joining());
    try (Connection connection = cluster.connect()) {
      long copied = copyManager(connection).copyIn("COPY copy_target FROM STDIN", new StringReader(data));
      assertThat(copied).isEqualTo(ROWS);
      // The same session goes on working after the copy sub-protocol ended.
      assertThat(cluster.where(connection)).isIn(cluster.replicaNames());
    }
    try (Connection primary = cluster.connectDirectly(cluster.primary())) {
      assertThat(Sql.scalarLong(primary, "SELECT count(*) FROM copy_target")).isEqualTo(ROWS);
    }
    assertThat(StatementStats.calls(cluster.primary(), "COPY copy_target FROM STDIN%")).isEqualTo(1);
  }

  private static CopyManager copyManager(Connection connection) throws SQLException {
    return connection.unwrap(PGConnection.class).getCopyAPI();
  }
}
