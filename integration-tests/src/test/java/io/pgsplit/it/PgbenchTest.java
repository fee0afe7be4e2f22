package io.pgsplit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.cluster.PgNode;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** pgbench through the proxy: concurrent clients in every protocol mode, read-only and the default TPC-B mix. */
@ExtendWith(ClusterExtension.class)
@Timeout(120)
class PgbenchTest {
  private static final int SECONDS = 5;
  private static final List<String> CLIENTS = List.of("-c", "4", "-j", "2", "-n");
  private static final String ACCOUNT_READ = "SELECT abalance FROM pgbench_accounts%";
  private static final String ACCOUNT_WRITE = "UPDATE pgbench_accounts%";
  private static ProxiedCluster cluster;
  private static Pgbench pgbench;

  @BeforeAll
  static void setUp(ProxiedCluster shared) throws SQLException {
    cluster = shared;
    pgbench = new Pgbench(shared.cluster().appUser(), shared.cluster().appPassword());
    PgNode primary = shared.primary();
    pgbench.initialize(new InetSocketAddress(primary.host(), primary.port()));
    Replication.awaitReplicasCaughtUp(shared.cluster());
  }

  @BeforeEach
  void forgetStatementStatistics() throws SQLException {
    cluster.statementStats().reset();
  }

  @ParameterizedTest
  @ValueSource(strings = {"simple", "extended", "prepared"})
  void selectOnlyRunHasNoFailuresAndOnlyReplicasServeIt(String queryMode) throws SQLException {
    Pgbench.Summary summary = pgbench.benchmark(cluster.proxyAddress(), SECONDS,
        concat(List.of("-S", "-M", queryMode), CLIENTS));

    assertThat(summary.failedTransactions()).as("%s", summary.output()).isZero();
    assertThat(summary.processedTransactions()).isPositive();
    Map<String, Long> calls = cluster.statementStats().callsByNode(ACCOUNT_READ);
    assertThat(calls).as("account reads per node").containsEntry(cluster.primary().name(), 0L);
    assertThat(cluster.replicaNames()).allSatisfy(replica -> assertThat(calls.get(replica)).isPositive());
    assertThat(cluster.statementStats().callsOnReplicas(ACCOUNT_READ))
        .isGreaterThanOrEqualTo(summary.processedTransactions());
  }

  @Test
  void readWriteRunHasNoFailuresAndEveryWriteRunsOnThePrimary() throws SQLException {
    Pgbench.Summary summary = pgbench.benchmark(cluster.proxyAddress(), SECONDS,
        concat(List.of("-M", "prepared"), CLIENTS));

    assertThat(summary.failedTransactions()).as("%s", summary.output()).isZero();
    assertThat(summary.processedTransactions()).isPositive();
    Map<String, Long> calls = cluster.statementStats().callsByNode(ACCOUNT_WRITE);
    assertThat(calls.get(cluster.primary().name())).isGreaterThanOrEqualTo(summary.processedTransactions());
    assertThat(cluster.replicaNames()).allSatisfy(replica -> assertThat(calls.get(replica)).isZero());
  }

  private static List<String> concat(List<String> first, List<String> second) {
    return Stream.concat(first.stream(), second.stream()).toList();
  }
}
