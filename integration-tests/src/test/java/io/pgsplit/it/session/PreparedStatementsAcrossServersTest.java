package io.pgsplit.it.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.pgsplit.it.Sql;
import io.pgsplit.it.StatementStats;
import io.pgsplit.it.session.SessionCluster.Served;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Prepared statements follow the client across servers: pgjdbc's protocol-level named statements are prepared on
 * demand wherever a Bind lands, SQL {@code PREPARE}d reads are executed on replicas, and DEALLOCATE and DISCARD ALL
 * forget them everywhere, as on a single PostgreSQL.
 */
@ExtendWith(SessionClusterExtension.class)
@Timeout(120)
class PreparedStatementsAcrossServersTest {
  private static final int ROUNDS = 200;
  private static final int BATCH_SIZE = 500;
  private static final String READ = "SELECT inet_server_port(), label FROM prepared_reads WHERE id = ?";
  private static final String INVALID_SQL_STATEMENT_NAME = "26000";

  private static SessionCluster cluster;
  private static StatementStats statements;
  private static TestProxy proxy;

  @BeforeAll
  static void startProxy(SessionCluster shared) throws SQLException {
    cluster = shared;
    statements = new StatementStats(cluster.nodes(), cluster.replicas());
    cluster.setUpOnPrimary(
        "DROP TABLE IF EXISTS prepared_reads, prepared_writes, prepared_batch",
        "CREATE TABLE prepared_reads (id int PRIMARY KEY, label text NOT NULL)",
        "INSERT INTO prepared_reads SELECT g, 'row ' || g FROM generate_series(1, 100) g",
        "CREATE TABLE prepared_writes (id int PRIMARY KEY, source text NOT NULL)",
        "CREATE TABLE prepared_batch (id int PRIMARY KEY)");
    proxy = cluster.startProxy();
  }

  @AfterAll
  static void stopProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  @BeforeEach
  void forgetStatementCounts() throws SQLException {
    statements.reset();
  }

  /** 5 is pgjdbc's default: unnamed statements first, a named one from the fifth execution on. */
  @ParameterizedTest(name = "prepareThreshold={0}")
  @ValueSource(ints = {5, 1})
  void parameterisedSelectInterleavedWithInsertsRunsOnBothReplicasAndTheInsertsOnThePrimary(int prepareThreshold)
      throws SQLException {
    Map<String, Integer> readsByNode = new TreeMap<>();
    Map<String, Integer> insertsByNode = new TreeMap<>();
    try (Connection connection = proxy.connect("prepareThreshold=" + prepareThreshold);
        PreparedStatement read = connection.prepareStatement(READ);
        PreparedStatement insert = connection.prepareStatement(
            "INSERT INTO prepared_writes (id, source) VALUES (?, ?) RETURNING inet_server_port()")) {
      for (int i = 0; i < ROUNDS; i++) {
        int id = i % 100 + 1;
        read.setInt(1, id);
        Served row = cluster.ask(read);
        assertThat(row.value()).isEqualTo("row " + id);
        readsByNode.merge(row.node(), 1, Integer::sum);
        insert.setInt(1, prepareThreshold * 1000 + i);
        insert.setString(2, "prepareThreshold=" + prepareThreshold);
        insertsByNode.merge(cluster.ask(insert).node(), 1, Integer::sum);
      }
    }
    assertThat(readsByNode).as("reads per node").containsOnlyKeys(cluster.replicaNames());
    assertThat(insertsByNode).as("inserts per node").containsExactly(entry(cluster.primary().name(), ROUNDS));
    assertThat(StatementStats.calls(cluster.primary(), "SELECT inet_server_port(), label FROM prepared_reads%")).isZero();
    assertThat(statements.callsOnReplicas("SELECT inet_server_port(), label FROM prepared_reads%")).isEqualTo(ROUNDS);
    assertThat(rowsOnPrimary("SELECT count(*) FROM prepared_writes WHERE source = 'prepareThreshold="
        + prepareThreshold + "'")).isEqualTo(ROUNDS);
  }

  @Test
  void batchOf500InsertsLandsWhollyOnThePrimary() throws SQLException {
    try (Connection connection = proxy.connect();
        PreparedStatement insert = connection.prepareStatement("INSERT INTO prepared_batch (id) VALUES (?)")) {
      for (int i = 0; i < BATCH_SIZE; i++) {
        insert.setInt(1, i);
        insert.addBatch();
      }
      assertThat(insert.executeBatch()).hasSize(BATCH_SIZE).containsOnly(1);
      assertThat(cluster.ask(connection, "SELECT inet_server_port()").onReplica())
          .as("a read right after the batch").isTrue();
    }
    assertThat(rowsOnPrimary("SELECT count(*) FROM prepared_batch")).isEqualTo(BATCH_SIZE);
    assertThat(statements.callsByNode("INSERT INTO prepared_batch%")).as("executions per node")
        .containsEntry(cluster.primary().name(), (long) BATCH_SIZE)
        .containsEntry(cluster.replicaNames().get(0), 0L).containsEntry(cluster.replicaNames().get(1), 0L);
  }

  /** pgjdbc sends EXECUTE as a Parse/Bind/Execute group by default, psql (and preferQueryMode=simple) as a Query. */
  @ParameterizedTest
  @ValueSource(strings = {"preferQueryMode=extended", "preferQueryMode=simple"})
  void sqlPreparedReadIsExecutedOnBothReplicas(String queryMode) throws SQLException {
    List<Served> executions = new ArrayList<>();
    try (Connection connection = proxy.connect(queryMode); Statement statement = connection.createStatement()) {
      statement.execute("PREPARE replayed_q (int) AS SELECT inet_server_port(), $1");
      for (int i = 1; i <= 6; i++) {
        executions.add(cluster.ask(connection, "EXECUTE replayed_q(" + i + ")"));
      }
      statement.execute("DEALLOCATE replayed_q");
    }
    assertThat(executions).extracting(Served::value).containsExactly("1", "2", "3", "4", "5", "6");
    assertThat(executions).extracting(Served::node).containsOnly(cluster.replicaNames().toArray(String[]::new))
        .contains(cluster.replicaNames().toArray(String[]::new));
  }

  @ParameterizedTest
  @ValueSource(strings = {"preferQueryMode=extended", "preferQueryMode=simple"})
  void executeAfterDeallocateFailsWithInvalidSqlStatementNameAsPostgresDoes(String queryMode) throws SQLException {
    String direct;
    try (Connection connection = cluster.connectDirectly(cluster.primary());
        Statement statement = connection.createStatement()) {
      statement.execute("PREPARE gone_q (int) AS SELECT inet_server_port(), $1");
      statement.execute("DEALLOCATE gone_q");
      direct = SqlStates.of(() -> statement.execute("EXECUTE gone_q(1)"));
    }
    assertThat(direct).as("PostgreSQL's own answer").isEqualTo(INVALID_SQL_STATEMENT_NAME);

    List<String> throughProxy = new ArrayList<>();
    try (Connection connection = proxy.connect(queryMode); Statement statement = connection.createStatement()) {
      statement.execute("PREPARE gone_q (int) AS SELECT inet_server_port(), $1");
      // Executed on both replicas first, so each of them has had the statement prepared.
      assertThat(List.of(cluster.ask(connection, "EXECUTE gone_q(1)").node(),
          cluster.ask(connection, "EXECUTE gone_q(2)").node())).containsOnlyOnceElementsOf(cluster.replicaNames());
      statement.execute("DEALLOCATE gone_q");
      for (int i = 0; i < 4; i++) {
        throughProxy.add(SqlStates.of(() -> statement.execute("EXECUTE gone_q(3)")));
      }
      assertThat(cluster.ask(connection, "SELECT inet_server_port()").onReplica())
          .as("the session after the failures").isTrue();
    }
    assertThat(throughProxy).containsOnly(direct);
  }

  @Test
  void discardAllForgetsSqlAndProtocolLevelPreparedStatements() throws SQLException {
    try (Connection connection = proxy.connect("prepareThreshold=1");
        Statement statement = connection.createStatement();
        PreparedStatement read = connection.prepareStatement(READ)) {
      statement.execute("PREPARE discarded_q AS SELECT inet_server_port(), 'sql-prepared'");
      for (int i = 1; i <= 4; i++) {
        assertThat(cluster.ask(connection, "EXECUTE discarded_q").value()).isEqualTo("sql-prepared");
        read.setInt(1, i);
        assertThat(cluster.ask(read).value()).isEqualTo("row " + i);
      }

      statement.execute("DISCARD ALL");

      List<String> executeOutcomes = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        executeOutcomes.add(SqlStates.of(() -> statement.execute("EXECUTE discarded_q")));
      }
      assertThat(executeOutcomes).containsOnly(INVALID_SQL_STATEMENT_NAME);
      // pgjdbc sees the DISCARD ALL command tag and parses its statement again; that must work on every server.
      List<Served> reads = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        read.setInt(1, i);
        reads.add(cluster.ask(read));
      }
      assertThat(reads).extracting(Served::value).containsExactly("row 1", "row 2", "row 3", "row 4");
      assertThat(reads).extracting(Served::onReplica).containsOnly(true);
    }
  }

  private static long rowsOnPrimary(String countQuery) throws SQLException {
    return Long.parseLong(Sql.superuserScalar(cluster.primary(), countQuery));
  }
}
