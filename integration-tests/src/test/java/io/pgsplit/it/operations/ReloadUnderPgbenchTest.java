package io.pgsplit.it.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.cluster.PgNode;
import io.pgsplit.it.StatementStats;
import io.pgsplit.proxy.PgSplitServer;
import io.pgsplit.proxy.config.ConfigException;
import io.pgsplit.proxy.config.PgSplitConfig;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * pgbench through a proxy whose servers change during the run: pg3 is added, pg2 removed, a broken file pushed and
 * rejected, pg2 added back. Clients must not notice, and the servers' own statistics must show routing followed.
 */
@Timeout(90)
class ReloadUnderPgbenchTest {
  private static final int SECONDS = 20;
  private static final Duration PGBENCH_DEADLINE = Duration.ofSeconds(SECONDS + 15);
  private static final String ACCOUNT_READ = "SELECT abalance FROM pgbench_accounts%";
  private static final String ACCOUNT_WRITE = "UPDATE pgbench_accounts%";
  private static OperationsCluster cluster;
  private static PgNode pg1;
  private static PgNode pg2;
  private static PgNode pg3;

  @BeforeAll
  static void startClusterWithPgbenchTables() throws Exception {
    cluster = OperationsCluster.start(ReloadUnderPgbenchTest.class);
    pg1 = cluster.primary();
    pg2 = cluster.firstReplica();
    pg3 = cluster.secondReplica();
    try (PgbenchRun initialize = PgbenchRun.start(new InetSocketAddress(pg1.host(), pg1.port()), cluster.appUser(),
        cluster.appPassword(), List.of("-i", "-s", "1", "-q"))) {
      initialize.awaitSuccess(Duration.ofSeconds(60));
    }
    cluster.awaitReplicasCaughtUp();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void forgetStatementStatistics() throws SQLException {
    StatementStats.resetOn(pg1, pg2, pg3);
  }

  @Test
  void selectOnlyPgbenchSeesZeroFailuresWhileReplicasAreAddedRemovedAndABrokenConfigIsPushed() throws Exception {
    try (PgSplitServer proxy = startProxy(pg1, pg2);
        PgbenchRun pgbench = startPgbench(proxy, "-S", "-M", "prepared", "-c", "4", "-j", "2")) {
      Pg2Absence absence = reconfigureDuringTheRun(proxy);
      pgbench.awaitSuccess(PGBENCH_DEADLINE);

      assertThat(pgbench.failedTransactions()).as("%s", pgbench).isZero();
      assertThat(pgbench.processedTransactions()).isPositive();
      assertThat(StatementStats.calls(pg3, ACCOUNT_READ)).as("account reads on pg3 once added").isPositive();
      assertThat(absence.readsOnPg2WhenAddedBack() - absence.readsOnPg2WhenDrained())
          .as("account reads on pg2 while it was removed").isZero();
      assertThat(StatementStats.calls(pg2, ACCOUNT_READ) - absence.readsOnPg2WhenAddedBack())
          .as("account reads on pg2 once added back").isPositive();
      assertThat(StatementStats.calls(pg1, ACCOUNT_READ)).as("account reads on the primary").isZero();
      assertReloadsCounted(proxy);
    }
  }

  @Test
  void readWritePgbenchSeesZeroFailuresWhileReplicasAreAddedRemovedAndABrokenConfigIsPushed() throws Exception {
    try (PgSplitServer proxy = startProxy(pg1, pg2);
        PgbenchRun pgbench = startPgbench(proxy, "-M", "extended", "-c", "2")) {
      reconfigureDuringTheRun(proxy);
      pgbench.awaitSuccess(PGBENCH_DEADLINE);

      assertThat(pgbench.failedTransactions()).as("%s", pgbench).isZero();
      assertThat(pgbench.processedTransactions()).isPositive();
      assertThat(StatementStats.calls(pg1, ACCOUNT_WRITE)).isEqualTo(pgbench.processedTransactions());
      assertReloadsCounted(proxy);
    }
  }

  /** Account reads pg2 had served when its removal had drained, and when it was added back. */
  private record Pg2Absence(long readsOnPg2WhenDrained, long readsOnPg2WhenAddedBack) {}

  /** The sequence, spread over the run as an operator might: a few seconds between changes. */
  private static Pg2Absence reconfigureDuringTheRun(PgSplitServer proxy) throws Exception {
    Thread.sleep(3_000);
    push(proxy, cluster.proxyConfig(pg1, pg2, pg3));
    Thread.sleep(5_000);
    push(proxy, cluster.proxyConfig(pg1, pg3));
    Thread.sleep(1_000); // a read already running on pg2 may finish there
    long drained = StatementStats.calls(pg2, ACCOUNT_READ);
    Thread.sleep(2_000);
    push(proxy, cluster.proxyConfig(pg1).healthSetting("intervall", "200ms"));
    Thread.sleep(3_000);
    long addedBack = StatementStats.calls(pg2, ACCOUNT_READ);
    push(proxy, cluster.proxyConfig(pg1, pg2, pg3));
    return new Pg2Absence(drained, addedBack);
  }

  /** What the command line does with a changed file: a valid one is applied, one with any error rejected whole. */
  private static void push(PgSplitServer proxy, ProxyConfigYaml yaml) {
    PgSplitConfig next;
    try {
      next = yaml.parse();
    } catch (ConfigException e) {
      proxy.reloadRejected(e.getMessage());
      return;
    }
    proxy.reload(next);
  }

  private static void assertReloadsCounted(PgSplitServer proxy) {
    assertThat(proxy.metrics().scrape())
        .contains("pgsplit_config_reloads_total{result=\"ok\"} 3.0")
        .contains("pgsplit_config_reloads_total{result=\"error\"} 1.0");
  }

  private static PgSplitServer startProxy(PgNode... servers) throws ConfigException, InterruptedException {
    return PgSplitServer.start(cluster.proxyConfig(servers).parse());
  }

  /** {@code -n}: the tables were vacuumed when they were created. */
  private static PgbenchRun startPgbench(PgSplitServer proxy, String... options) {
    List<String> arguments = new ArrayList<>(List.of(options));
    arguments.addAll(List.of("-n", "-T", Integer.toString(SECONDS)));
    return PgbenchRun.start(proxy.listenAddress(), cluster.appUser(), cluster.appPassword(), arguments);
  }
}
