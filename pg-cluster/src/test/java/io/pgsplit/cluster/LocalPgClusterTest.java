package io.pgsplit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** One primary and two replicas from the machine's PostgreSQL, shared by all tests; the promotion runs last. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalPgClusterTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static LocalPgCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = LocalPgCluster.builder().replicas(2).setting("work_mem", "7MB").start();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void primaryIsNotInRecoveryAndEveryReplicaIs() {
    assertThat(cluster.nodes()).extracting(PgNode::name).containsExactly("pg1", "pg2", "pg3");
    assertThat(cluster.primary().isInRecovery()).isFalse();
    assertThat(cluster.replicas()).allSatisfy(replica -> assertThat(replica.isInRecovery()).isTrue());
  }

  @Test
  @Order(2)
  void everyNodeListensOnItsOwnLoopbackPortBelowTheEphemeralRange() {
    assertThat(cluster.nodes()).extracting(PgNode::port).doesNotHaveDuplicates()
        .allSatisfy(port -> assertThat(port).isBetween(FreePorts.LOWEST, FreePorts.HIGHEST));
    assertThat(cluster.primary().jdbcUrl("app"))
        .isEqualTo("jdbc:postgresql://127.0.0.1:" + cluster.primary().port() + "/app");
  }

  @Test
  @Order(3)
  void extraSettingsReachEveryNode() throws SQLException {
    for (PgNode node : cluster.nodes()) {
      assertThat(query(node, "SHOW work_mem")).isEqualTo("7MB");
      assertThat(query(node, "SHOW cluster_name")).isEqualTo(node.name());
    }
  }

  @Test
  @Order(4)
  void tableCreatedOnPrimaryBecomesVisibleOnEveryReplica() throws SQLException {
    execute(cluster.primary(), "CREATE TABLE replicated (id int); INSERT INTO replicated VALUES (42)");
    for (PgNode replica : cluster.replicas()) {
      awaitQueryResult(replica, "SELECT max(id) FROM replicated", "42");
    }
  }

  @Test
  @Order(5)
  void appUserOwnsAppDatabaseAndReadsStatementStatistics() throws SQLException {
    try (Connection connection = DriverManager.getConnection(cluster.primary().jdbcUrl(LocalPgCluster.APP_DATABASE),
            cluster.appUser(), cluster.appPassword());
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT pg_get_userbyid(datdba), "
            + "pg_has_role('pg_read_all_stats', 'USAGE'), (SELECT count(*) > 0 FROM pg_stat_statements) "
            + "FROM pg_database WHERE datname = current_database()")) {
      row.next();
      assertThat(row.getString(1)).isEqualTo("app");
      assertThat(row.getBoolean(2)).isTrue();
      assertThat(row.getBoolean(3)).isTrue();
    }
  }

  @Test
  @Order(6)
  void environmentLinesNamePortsAndDirectoryForScripts() {
    PgNode pg2 = cluster.replicas().get(0);
    PgNode pg3 = cluster.replicas().get(1);
    assertThat(ClusterMain.environmentLines(cluster)).containsExactly(
        "PRIMARY_PORT=" + cluster.primary().port(),
        "REPLICA_PORTS=" + pg2.port() + "," + pg3.port(),
        "PGDATA_BASE=" + cluster.baseDirectory());
  }

  @Test
  @Order(6)
  void replicationOverTcpNeedsThePassword() throws SQLException {
    PgNode primary = cluster.primary();
    assertThatThrownBy(() -> replicationConnection(primary, null).close())
        .isInstanceOf(SQLException.class).hasMessageContaining("no password was provided");
    assertThatThrownBy(() -> replicationConnection(primary, "wrong").close())
        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
    try (Connection replication = replicationConnection(primary, cluster.superuserPassword());
        Statement statement = replication.createStatement();
        ResultSet system = statement.executeQuery("IDENTIFY_SYSTEM")) {
      assertThat(system.next()).isTrue();
    }
  }

  @Test
  @Order(6)
  void theTrustedUnixSocketIsReachableOnlyByTheServerAccount() throws Exception {
    for (LocalPgNode node : cluster.localNodes()) {
      assertThat(query(node, "SHOW unix_socket_directories")).isEqualTo(node.nodeDirectory().toString());
      assertThat(query(node, "SHOW unix_socket_permissions")).isEqualTo("0700");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(node.nodeDirectory())))
          .isEqualTo("rwx------");
      assertThat(Files.getOwner(node.nodeDirectory()).getName()).isEqualTo(ServerAccount.forThisProcess().userName());
    }
  }

  @Test
  @Order(7)
  void stoppedReplicaRefusesConnectionsAndStreamsAgainAfterStart() throws SQLException {
    PgNode replica = cluster.replicas().get(0);
    replica.stop();
    assertThat(replica.isRunning()).isFalse();
    assertThatThrownBy(replica::connectAsSuperuser).isInstanceOf(SQLException.class);

    replica.start();
    ReplicationWatch.awaitStreaming(cluster.primary(), List.of(replica), TIMEOUT);
    assertThat(replica.isInRecovery()).isTrue();
  }

  @Test
  @Order(8)
  void suspendedReplicaAnswersNothingUntilResumed() throws SQLException {
    PgNode replica = cluster.replicas().get(1);
    replica.suspend();
    try {
      assertThat(replica.isRunning()).isTrue();
      assertThatThrownBy(() -> connectWithin(replica, 2).close()).isInstanceOf(SQLException.class);
    } finally {
      replica.resume();
    }
    assertThat(query(replica, "SELECT 1")).isEqualTo("1");
  }

  @Test
  @Order(9)
  void killedReplicaLeavesNoLiveProcessAndRestarts() throws SQLException {
    LocalPgNode replica = cluster.localNodes().get(2);
    long pid = replica.postmasterPid();
    replica.kill9();
    assertThat(OsProcesses.isAlive(pid)).isFalse();
    assertThat(replica.isRunning()).isFalse();

    replica.start();
    assertThat(replica.postmasterPid()).isNotEqualTo(pid);
    ReplicationWatch.awaitStreaming(cluster.primary(), List.of(replica), TIMEOUT);
  }

  @Test
  @Order(10)
  void promotedReplicaLeavesRecoveryAndAcceptsWrites() throws SQLException {
    PgNode replica = cluster.replicas().get(0);
    replica.promote();
    assertThat(replica.isInRecovery()).isFalse();
    execute(replica, "CREATE TABLE written_after_promotion (id int)");
  }

  private static Connection connectWithin(PgNode node, int seconds) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", cluster.superuser());
    properties.setProperty("password", cluster.superuserPassword());
    properties.setProperty("connectTimeout", Integer.toString(seconds));
    properties.setProperty("loginTimeout", Integer.toString(seconds));
    return DriverManager.getConnection(node.jdbcUrl("postgres"), properties);
  }

  /** A physical replication connection as the superuser; {@code password} null: none given. */
  private static Connection replicationConnection(PgNode node, String password) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", cluster.superuser());
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("replication", "true");
    properties.setProperty("assumeMinServerVersion", "9.4");
    properties.setProperty("preferQueryMode", "simple");
    properties.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(node.jdbcUrl("postgres"), properties);
  }

  private static void awaitQueryResult(PgNode node, String sql, String expected) {
    Await.until(node.name() + " to return " + expected + " for " + sql, TIMEOUT,
        () -> expected.equals(query(node, sql)), () -> LogTail.of(node.logFile()));
  }

  private static String query(PgNode node, String sql) throws SQLException {
    try (Connection connection = node.connectAsSuperuser();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }

  private static void execute(PgNode node, String sql) throws SQLException {
    try (Connection connection = node.connectAsSuperuser(); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
