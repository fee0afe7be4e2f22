package io.pgsplit.it.session;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** HikariCP in front of pgsplit in session mode: see {@link HikariWorkload}. */
@ExtendWith(SessionClusterExtension.class)
@Timeout(90)
class HikariReadWriteSplitTest {
  private static final int POOL_SIZE = 10;
  private static final int THREADS = 32;
  private static final long RUN_MILLIS = 15_000;
  private static final long FIRST_ID = 0;

  private static SessionCluster cluster;
  private static TestProxy proxy;

  @BeforeAll
  static void createTable(SessionCluster shared) throws SQLException {
    cluster = shared;
    HikariWorkload.createTable(cluster);
    proxy = cluster.startProxy();
  }

  @AfterAll
  static void stopProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void thirtyTwoThreadsOnTenPooledConnectionsRunReadTransactionsOnReplicasAndWritesOnThePrimaryWithoutErrors()
      throws Exception {
    HikariWorkload workload = new HikariWorkload(cluster, FIRST_ID);
    workload.run(proxy, POOL_SIZE, THREADS, RUN_MILLIS);
    workload.assertNoErrorsAndEveryCommittedRowPresent(FIRST_ID);
  }
}
