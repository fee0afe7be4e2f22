package io.pgsplit.it.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.cluster.PgNode;
import io.pgsplit.it.StatementStats;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code pgbench -M prepared} parses each statement once per client connection and then only binds it. Behind a
 * transaction-mode pooler the Bind reaches a server connection that never saw the Parse (PgBouncer before 1.21
 * fails every such transaction); pgsplit must prepare the statement there first, with the default pool limit.
 */
@ExtendWith(SessionClusterExtension.class)
@Timeout(180)
class PgbenchPreparedModeTest {
  private static final String SELECT_ONLY_QUERY = "SELECT abalance FROM pgbench_accounts WHERE aid = $1";
  private static final String TPCB_UPDATE = "UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2";

  /** A database of its own, so initialising through the proxy cannot disturb the tables the runs use. */
  private static final String COPY_DATABASE = "pgbench_through_proxy";

  private static SessionCluster cluster;
  private static StatementStats statements;
  private static TestProxy proxy;
  private static Pgbench pgbench;

  @BeforeAll
  static void initializePgbenchTablesOnThePrimary(SessionCluster shared) throws SQLException, InterruptedException {
    cluster = shared;
    statements = new StatementStats(cluster.nodes(), cluster.replicas());
    PgNode primary = cluster.primary();
    new Pgbench(new InetSocketAddress(primary.host(), primary.port()), SessionCluster.DATABASE, cluster.appUser(),
        cluster.appPassword()).initialize();
    cluster.awaitReplicasCaughtUp();
    proxy = cluster.startProxy();
    pgbench = new Pgbench(proxy.address(), SessionCluster.DATABASE, cluster.appUser(), cluster.appPassword());
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

  @Test
  void selectOnlyWithSixteenClientsInPreparedModeHasNoFailedTransactionAndRunsOnBothReplicas()
      throws SQLException, InterruptedException {
    Pgbench.Summary run = pgbench.benchmark(30, "-M", "prepared", "-S", "-c", "16", "-j", "4");

    assertThat(run.failedTransactions()).as(run.output()).isZero();
    assertThat(run.processedTransactions()).as(run.output()).isPositive();
    assertThat(StatementStats.calls(cluster.primary(), SELECT_ONLY_QUERY)).as("selects on the primary").isZero();
    for (PgNode replica : cluster.replicas()) {
      assertThat(StatementStats.calls(replica, SELECT_ONLY_QUERY)).as("selects on %s", replica.name()).isPositive();
    }
    assertThat(statements.callsOnReplicas(SELECT_ONLY_QUERY)).isGreaterThanOrEqualTo(run.processedTransactions());
  }

  @Test
  void tpcbLikeWithEightClientsInPreparedModeHasNoFailedTransactionAndWritesOnThePrimary()
      throws SQLException, InterruptedException {
    Pgbench.Summary run = pgbench.benchmark(15, "-M", "prepared", "-c", "8", "-j", "2");

    assertThat(run.failedTransactions()).as(run.output()).isZero();
    assertThat(run.processedTransactions()).as(run.output()).isPositive();
    assertThat(StatementStats.calls(cluster.primary(), TPCB_UPDATE)).isGreaterThanOrEqualTo(run.processedTransactions());
    assertThat(statements.callsOnReplicas(TPCB_UPDATE)).isZero();
  }

  /**
   * In transaction mode eight pgbench clients share four primary connections, so every Bind may land on a connection
   * another client's Parse prepared the statement on, or none did; with a limit of 3 statements per connection (the
   * TPC-B-like script has 7) the LRU closes and re-prepares statements all the time under way. One thread per client:
   * pgbench prepares synchronously, so a thread blocked preparing for one client (waiting for a pooled connection)
   * would keep its other clients from finishing the transactions that hold all the connections.
   */
  @ParameterizedTest(name = "max_prepared_statements_per_connection={0}")
  @ValueSource(ints = {200, 3})
  void tpcbLikeInPreparedModeThroughTransactionPoolingHasNoFailedTransaction(int limit)
      throws SQLException, InterruptedException {
    try (TestProxy pooling = cluster.proxyConfig().poolMode("transaction").primaryMaxPerServer(4)
        .maxPreparedStatementsPerConnection(limit).acquireTimeout("20s").start()) {
      Pgbench through = new Pgbench(pooling.address(), SessionCluster.DATABASE, cluster.appUser(), cluster.appPassword());

      Pgbench.Summary run = through.benchmark(10, "-M", "prepared", "-c", "8", "-j", "8");

      assertThat(run.failedTransactions()).as(run.output()).isZero();
      assertThat(run.processedTransactions()).as(run.output()).isPositive();
      assertThat(StatementStats.calls(cluster.primary(), TPCB_UPDATE)).isGreaterThanOrEqualTo(run.processedTransactions());
    }
  }

  /** {@code pgbench -i} loads pgbench_accounts with one COPY FROM STDIN of about 100,000 rows. */
  @Test
  void initialisationThroughTheProxyCompletes() throws SQLException, InterruptedException {
    try (Connection connection = cluster.primary().connectAsSuperuser();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + COPY_DATABASE);
      statement.execute("CREATE DATABASE " + COPY_DATABASE + " OWNER " + cluster.appUser());
    }
    cluster.awaitReplicasCaughtUp();

    new Pgbench(proxy.address(), COPY_DATABASE, cluster.appUser(), cluster.appPassword()).initialize();

    try (Connection connection = cluster.primary().connectAsSuperuser(COPY_DATABASE);
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT count(*) FROM pgbench_accounts")) {
      assertThat(row.next()).isTrue();
      assertThat(row.getLong(1)).isEqualTo(100_000);
    }
  }
}
