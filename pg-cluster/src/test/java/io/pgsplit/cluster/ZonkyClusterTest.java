package io.pgsplit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The fallback for machines without PostgreSQL: zonky's binaries, which lack pg_basebackup. */
class ZonkyClusterTest {

  @Test
  void zonkyBinariesRunAPrimaryAndAReplicaClonedByCopyAndCloseRemovesEverything() throws SQLException {
    assumeTrue(ZonkyBinaries.isOnClasspath(), "zonky binaries jar not on the class path");
    PgBinaries zonky = PgBinaries.fromZonky();
    assertThat(zonky.hasBaseBackup()).isFalse();
    assertThat(zonky.majorVersion()).isEqualTo(17);

    LocalPgCluster cluster = LocalPgCluster.builder().binaries(zonky).replicas(1).start();
    List<Long> pids;
    try {
      assertThat(ReplicationWatch.streamingReplicas(cluster.primary())).containsExactly("pg2");
      assertThat(cluster.replicas().get(0).isInRecovery()).isTrue();
      // The app database was created before the copy, so the replica has it too.
      try (Connection connection = cluster.replicas().get(0).connectAsSuperuser(LocalPgCluster.APP_DATABASE);
          Statement statement = connection.createStatement();
          ResultSet row = statement.executeQuery("SELECT current_setting('server_version_num')")) {
        row.next();
        assertThat(row.getInt(1)).isGreaterThanOrEqualTo(170000);
      }
      try (Connection connection = cluster.primary().connectAsSuperuser();
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE streamed_after_copy AS SELECT 1 AS id");
      }
      Await.until("pg2 to replay the new table", Duration.ofSeconds(30),
          () -> cluster.replicas().get(0).isInRecovery() && hasTable(cluster.replicas().get(0)),
          () -> LogTail.of(cluster.replicas().get(0).logFile()));
      pids = cluster.localNodes().stream().map(LocalPgNode::postmasterPid).collect(Collectors.toList());
    } finally {
      cluster.close();
    }
    assertThat(pids).noneMatch(OsProcesses::isAlive);
    assertThat(Files.exists(cluster.baseDirectory())).isFalse();
  }

  private static boolean hasTable(PgNode node) throws SQLException {
    try (Connection connection = node.connectAsSuperuser();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT to_regclass('streamed_after_copy') IS NOT NULL")) {
      row.next();
      return row.getBoolean(1);
    }
  }
}
