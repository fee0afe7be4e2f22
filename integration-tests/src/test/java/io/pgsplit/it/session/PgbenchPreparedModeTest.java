package io.pgsplit.it.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.cluster.PgNode;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

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

  private static SessionCluster cluster;
  private static StatementCounts statements;
  private static TestProxy proxy;
  private static Pgbench pgbench;

  @BeforeAll
  static void initializePgbenchTables(SessionCluster shared) throws SQLException, InterruptedException {
    cluster = shared;
    statements = new StatementCounts(cluster);
    proxy = cluster.startProxy();
    pgbench = new Pgbench(proxy.address(), cluster.appUser(), cluster.appPassword());
    pgbench.initialize();
    cluster.awaitReplicasCaughtUp();
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
    assertThat(statements.on(cluster.primary(), SELECT_ONLY_QUERY)).as("selects on the primary").isZero();
    for (PgNode replica : cluster.replicas()) {
      assertThat(statements.on(replica, SELECT_ONLY_QUERY)).as("selects on %s", replica.name()).isPositive();
    }
    assertThat(statements.onReplicas(SELECT_ONLY_QUERY)).isGreaterThanOrEqualTo(run.processedTransactions());
  }

  @Test
  void tpcbLikeWithEightClientsInPreparedModeHasNoFailedTransactionAndWritesOnThePrimary()
      throws SQLException, InterruptedException {
    Pgbench.Summary run = pgbench.benchmark(15, "-M", "prepared", "-c", "8", "-j", "2");

    assertThat(run.failedTransactions()).as(run.output()).isZero();
    assertThat(run.processedTransactions()).as(run.output()).isPositive();
    assertThat(statements.on(cluster.primary(), TPCB_UPDATE)).isGreaterThanOrEqualTo(run.processedTransactions());
    assertThat(statements.onReplicas(TPCB_UPDATE)).isZero();
  }
}
