package io.pgsplit.it.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * HikariCP with fifty connections, twenty threads of mixed read and write transactions for thirty seconds, through
 * {@code pool_mode: transaction} with five primary connections: no error, every committed row there, and the primary
 * never sees more backends than its pool allows.
 */
@ExtendWith(SessionClusterExtension.class)
@Timeout(120)
class HikariTransactionPoolingTest {
  private static final int PRIMARY_CONNECTIONS = 5;
  private static final long FIRST_ID = 1_000_000_000L;

  private static SessionCluster cluster;
  private static TestProxy proxy;

  @BeforeAll
  static void createTable(SessionCluster shared) throws SQLException {
    cluster = shared;
    HikariWorkload.createTable(cluster);
    proxy = cluster.proxyConfig().poolMode("transaction").primaryMaxPerServer(PRIMARY_CONNECTIONS)
        .acquireTimeout("20s").start();
  }

  @AfterAll
  static void stopProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void fiftyPooledClientsOfTwentyThreadsShareFivePrimaryConnectionsForThirtySecondsWithoutErrors() throws Exception {
    HikariWorkload workload = new HikariWorkload(cluster, FIRST_ID);
    try (PrimaryBackends backends = PrimaryBackends.sample(cluster, cluster.primary())) {
      workload.run(proxy, 50, 20, 30_000);
      assertThat(backends.highest()).as("primary backends of the app database at any moment")
          .isLessThanOrEqualTo(PRIMARY_CONNECTIONS);
    }
    workload.assertNoErrorsAndEveryCommittedRowPresent(FIRST_ID);
  }
}
