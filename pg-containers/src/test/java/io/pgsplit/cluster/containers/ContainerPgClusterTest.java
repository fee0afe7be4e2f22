package io.pgsplit.cluster.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.Container;
import io.pgsplit.cluster.DirectLogin;
import io.pgsplit.cluster.PgCluster;
import io.pgsplit.cluster.PgClusterException;
import io.pgsplit.cluster.PgNode;
import io.pgsplit.cluster.ReplicationWatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;

/**
 * The container cluster does what the failover tests do to local servers, and leaves nothing behind. With host
 * networking every local process reaches its servers, so TCP logins and replication need the password and the Unix
 * socket admits only the server's own account. Runs where a Docker engine answers and holds the pgsplit-postgres
 * image; elsewhere it is skipped, with the reason.
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerPgClusterTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static ContainerPgCluster cluster;

  @BeforeAll
  static void startCluster(@TempDir Path logs) {
    Optional<String> unavailable = ContainerPath.unavailableReason(ContainerClusterBuilder.DEFAULT_IMAGE);
    unavailable.ifPresent(reason -> LoggerFactory.getLogger(ContainerPgClusterTest.class)
        .warn("Container cluster tests skipped: {}", reason));
    Assumptions.assumeTrue(unavailable.isEmpty(), () -> "Container cluster tests skipped: " + unavailable.get());
    cluster = ContainerPgCluster.builder().replicas(2).setting("work_mem", "7MB").logTo(logs).start();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
      assertThat(containersOf(cluster)).as("containers left after close").isEmpty();
    }
  }

  @Test
  @Order(1)
  void replicasStreamAndEveryNodeRunsTheHarnessSettings() throws SQLException {
    assertThat(cluster.primary().isInRecovery()).isFalse();
    for (PgNode replica : cluster.replicas()) {
      assertThat(replica.isInRecovery()).as(replica.name()).isTrue();
    }
    for (PgNode node : cluster.nodes()) {
      assertThat(query(node, "SELECT current_setting('work_mem') || ' ' || current_setting('fsync') || ' '"
          + "|| current_setting('cluster_name') || ' ' || inet_server_port()"))
          .isEqualTo("7MB off " + node.name() + " " + node.port());
    }
    try (Connection app = DriverManager.getConnection(cluster.primary().jdbcUrl(PgCluster.APP_DATABASE),
        cluster.appUser(), cluster.appPassword())) {
      assertThat(app.isValid(5)).isTrue();
    }
  }

  @Test
  @Order(2)
  void everyTcpLoginNeedsThePassword() {
    for (PgNode node : cluster.nodes()) {
      assertThatThrownBy(() -> DirectLogin.login(node, PgNode.SUPERUSER, null, false))
          .as("%s without a password", node).hasMessageContaining("no password was provided");
      assertThat(DirectLogin.refusal(node, PgNode.SUPERUSER, "not-" + cluster.superuserPassword(), false))
          .as("%s with a wrong password", node).isEqualTo("28P01");
    }
  }

  /** The attack of issue 17: any local process took a base backup from 127.0.0.1, as replication trusted it. */
  @Test
  @Order(3)
  void replicationAndBaseBackupsNeedThePassword() {
    for (PgNode node : cluster.nodes()) {
      assertThatThrownBy(() -> DirectLogin.login(node, PgNode.SUPERUSER, null, true))
          .as("replication to %s without a password", node).hasMessageContaining("no password was provided");
      assertThat(DirectLogin.refusal(node, PgNode.SUPERUSER, "not-" + cluster.superuserPassword(), true))
          .as("replication to %s with a wrong password", node).isEqualTo("28P01");
    }
    PgNode primary = cluster.primary();
    ExecResult backup = cluster.containerNodes().get(1).control().exec("postgres", "pg_basebackup",
        "-D", "/tmp/stolen", "-h", primary.host(), "-p", Integer.toString(primary.port()), "-U", PgNode.SUPERUSER,
        "--no-password", "-X", "none");
    assertThat(backup.getExitCode()).as("pg_basebackup: %s", backup.getStderr()).isNotZero();
    assertThat(backup.getStderr()).contains("no password supplied");
  }

  @Test
  @Order(4)
  void theUnixSocketIsPrivateAndAdmitsOnlyTheServersOwnAccount() throws SQLException {
    for (ContainerPgNode node : cluster.containerNodes()) {
      ContainerControl control = node.control();
      assertThat(control.exec("postgres", "stat", "-c", "%a %U", "/run/postgresql").getStdout().strip())
          .as("socket directory of %s", node).isEqualTo("700 postgres");
      assertThat(query(node, "SELECT current_setting('unix_socket_permissions')")).isEqualTo("0700");
      assertThat(control.exec("postgres", "psql", "-X", "-At", "-w", "-p", Integer.toString(node.port()), "-c",
          "SELECT current_user").getStdout().strip()).as("the server's account on %s", node).isEqualTo("postgres");
      ExecResult root = control.exec("root", "psql", "-X", "-At", "-w", "-h", "/run/postgresql",
          "-p", Integer.toString(node.port()), "-U", PgNode.SUPERUSER, "-c", "SELECT 1");
      assertThat(root.getExitCode()).as("root on %s: %s", node, root.getStdout()).isNotZero();
      assertThat(root.getStderr()).contains("Peer authentication failed");
      assertThat(control.exec("postgres", "cat", "/proc/1/environ").getStdout())
          .as("the server's environment on %s", node).doesNotContain("POSTGRES_PASSWORD=", "PGPASSWORD=");
    }
  }

  @Test
  @Order(5)
  void stoppedReplicaRestartsWithItsDataAndStreamsAgain() throws SQLException {
    PgNode replica = cluster.replicas().get(0);
    execute(cluster.primary(), "CREATE TABLE kept (id int)");
    replica.stop();
    assertThat(replica.isRunning()).isFalse();

    replica.start();

    assertThat(replica.isInRecovery()).isTrue();
    ReplicationWatch.awaitStreaming(cluster.primary(), List.of(replica), TIMEOUT);
    assertThat(query(replica, "SELECT count(*) FROM pg_class WHERE relname = 'kept'")).isEqualTo("1");
  }

  @Test
  @Order(6)
  void killedAndImmediatelyStoppedReplicasRecover() {
    PgNode replica = cluster.replicas().get(1);
    replica.kill9();
    assertThat(replica.isRunning()).isFalse();
    replica.start();
    replica.stopImmediate();
    replica.start();
    ReplicationWatch.awaitStreaming(cluster.primary(), List.of(replica), TIMEOUT);
  }

  @Test
  @Order(7)
  void suspendedReplicaHoldsItsPortButAnswersNothingUntilResumed() throws SQLException {
    PgNode replica = cluster.replicas().get(0);
    replica.suspend();
    try {
      assertThat(replica.isSuspended()).isTrue();
      assertThat(replica.isRunning()).isTrue();
      assertThatThrownBy(() -> query(replica, "SELECT 1")).isInstanceOf(SQLException.class);
    } finally {
      replica.resume();
    }
    assertThat(replica.isSuspended()).isFalse();
    assertThat(query(replica, "SELECT 1")).isEqualTo("1");
  }

  @Test
  @Order(8)
  void logFileHoldsTheServerOutputOnThisMachine() throws Exception {
    PgNode replica = cluster.replicas().get(0);

    assertThat(Files.readString(replica.logFile())).contains("started streaming WAL from primary");
  }

  @Test
  @Order(9)
  void promotedReplicaTakesWrites() throws SQLException {
    PgNode replica = cluster.replicas().get(1);
    replica.promote();

    assertThat(replica.isInRecovery()).isFalse();
    execute(replica, "CREATE TABLE written_after_promotion (id int)");
  }

  @Test
  @Order(10)
  void aContainerThatDiesOnItsOwnIsReportedWithItsOutputAndStillRemoved(@TempDir Path logs) throws Exception {
    ContainerPgCluster doomed = ContainerPgCluster.builder().replicas(1).logTo(logs).start();
    String containerId = doomed.containerNodes().get(1).containerId();
    // Behind the harness's back, as a crash would.
    DockerClientFactory.instance().client().killContainerCmd(containerId).exec();

    assertThatThrownBy(doomed::close).isInstanceOf(PgClusterException.class)
        .hasMessageContaining("pg2 (container " + containerId.substring(0, 12)
            + ") exited unexpectedly with code 137")
        .hasMessageContaining("database system is ready to accept read-only connections");
    assertThat(containersOf(doomed)).isEmpty();
    assertThat(Files.readString(logs.resolve("pg2.log"))).contains("started streaming WAL");
  }

  @Test
  @Order(11)
  void anImageThatIsNotThereFailsAtOnceAndNothingIsPulled() {
    assertThatThrownBy(() -> ContainerPgCluster.builder().image("pgsplit-no-such-image:0").start())
        .isInstanceOf(PgClusterException.class)
        .hasMessageContaining("pgsplit-no-such-image:0 is not in the Docker engine, and nothing is pulled");
    assertThatThrownBy(() -> DockerClientFactory.instance().client().inspectImageCmd("pgsplit-no-such-image:0").exec())
        .as("no image appeared").isNotNull();
  }




  private static List<Container> containersOf(ContainerPgCluster cluster) {
    return DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
        .withLabelFilter(java.util.Map.of(ContainerClusterBuilder.CLUSTER_LABEL, cluster.id())).exec();
  }

  private static String query(PgNode node, String sql) throws SQLException {
    try (Connection connection = node.connectAsSuperuser(); Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getString(1);
    }
  }

  private static void execute(PgNode node, String sql) throws SQLException {
    try (Connection connection = node.connectAsSuperuser(); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
