package io.pgsplit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * pgjdbc's prepared statements: after prepareThreshold executions the driver parses a named server-side statement
 * once and from then on sends only Bind/Execute, which the proxy must be able to run on whichever replica the round
 * robin picks next, and must keep apart from the inserts on the same connection.
 */
@ExtendWith(ClusterExtension.class)
@Timeout(60)
class PreparedStatementTest {
  private static final int EXECUTIONS = 20;
  private static final int BATCH_SIZE = 100;
  private static final String READ = "SELECT inet_server_port(), count(*) FROM prepared_rows WHERE id > ?";
  private static ProxiedCluster cluster;

  @BeforeAll
  static void setUp(ProxiedCluster shared) throws SQLException {
    cluster = shared;
    cluster.setUpOnPrimary(
        "DROP TABLE IF EXISTS prepared_rows",
        "CREATE TABLE prepared_rows (id int PRIMARY KEY, mode text)",
        "DROP TABLE IF EXISTS batch_rows",
        "CREATE TABLE batch_rows (id int PRIMARY KEY, mode text)");
  }

  @BeforeEach
  void forgetStatementStatistics() throws SQLException {
    cluster.statementStats().reset();
  }

  @ParameterizedTest
  @EnumSource(JdbcMode.class)
  void preparedSelectCrossingPrepareThresholdInterleavedWithInsertsNeverFails(JdbcMode mode) throws SQLException {
    List<String> readsServedBy = new ArrayList<>();
    List<String> insertsServedBy = new ArrayList<>();
    try (Connection connection = cluster.connect(mode);
        PreparedStatement read = connection.prepareStatement(READ);
        PreparedStatement insert = connection.prepareStatement(
            "INSERT INTO prepared_rows VALUES (?, ?) RETURNING inet_server_port()")) {
      for (int i = 0; i < EXECUTIONS; i++) {
        read.setInt(1, -1);
        readsServedBy.add(firstColumnNode(read));
        insert.setInt(1, idFor(mode, i));
        insert.setString(2, mode.name());
        insertsServedBy.add(firstColumnNode(insert));
      }
    }
    assertThat(readsServedBy).hasSize(EXECUTIONS).allSatisfy(node -> assertThat(node).isIn(cluster.replicaNames()));
    assertThat(insertsServedBy).hasSize(EXECUTIONS).containsOnly(cluster.primary().name());
    assertThat(rowsOnPrimary("prepared_rows", mode)).isEqualTo(EXECUTIONS);
  }

  /** With two replicas and round robin, a statement parsed on one replica is necessarily bound on the other too. */
  @ParameterizedTest
  @EnumSource(JdbcMode.class)
  void preparedSelectIsServedByBothReplicasAndNeverByThePrimary(JdbcMode mode) throws SQLException {
    try (Connection connection = cluster.connect(mode);
        PreparedStatement read = connection.prepareStatement(READ)) {
      for (int i = 0; i < EXECUTIONS; i++) {
        read.setInt(1, i);
        firstColumnNode(read);
      }
    }
    Map<String, Long> calls = cluster.statementStats().callsByNode("%FROM prepared_rows WHERE id >%");
    assertThat(calls).as("executions per node").containsEntry(cluster.primary().name(), 0L);
    assertThat(cluster.replicaNames()).allSatisfy(replica -> assertThat(calls.get(replica)).isPositive());
    assertThat(calls.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(EXECUTIONS);
  }

  @ParameterizedTest
  @EnumSource(JdbcMode.class)
  void batchOfInsertsLandsOnThePrimary(JdbcMode mode) throws SQLException {
    try (Connection connection = cluster.connect(mode);
        PreparedStatement insert = connection.prepareStatement("INSERT INTO batch_rows VALUES (?, ?)")) {
      for (int i = 0; i < BATCH_SIZE; i++) {
        insert.setInt(1, idFor(mode, i));
        insert.setString(2, mode.name());
        insert.addBatch();
      }
      assertThat(insert.executeBatch()).hasSize(BATCH_SIZE).containsOnly(1);
      // A read on the same connection right after the batch is not held up by it.
      assertThat(cluster.where(connection)).isIn(cluster.replicaNames());
    }
    assertThat(rowsOnPrimary("batch_rows", mode)).isEqualTo(BATCH_SIZE);
    Map<String, Long> calls = cluster.statementStats().callsByNode("INSERT INTO batch_rows%");
    assertThat(calls).containsEntry(cluster.primary().name(), (long) BATCH_SIZE);
    assertThat(cluster.replicaNames()).allSatisfy(replica -> assertThat(calls.get(replica)).isZero());
  }

  private static int idFor(JdbcMode mode, int index) {
    return (mode.ordinal() + 1) * 1000 + index;
  }

  private static String firstColumnNode(PreparedStatement statement) throws SQLException {
    try (ResultSet row = statement.executeQuery()) {
      assertThat(row.next()).isTrue();
      return cluster.nodeListeningOn(row.getInt(1)).name();
    }
  }

  private static long rowsOnPrimary(String table, JdbcMode mode) throws SQLException {
    try (Connection connection = cluster.connectDirectly(cluster.primary())) {
      return Sql.scalarLong(connection, "SELECT count(*) FROM " + table + " WHERE mode = '" + mode.name() + "'");
    }
  }
}
