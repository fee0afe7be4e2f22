package io.pgsplit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsplit.cluster.DirectLogin;
import io.pgsplit.cluster.LocalPgCluster;
import io.pgsplit.cluster.PgNode;
import io.pgsplit.proxy.cli.DemoEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pgsplit demo} as a local user other than its owner finds it: every server port asks for a password (random,
 * not the harness's well-known ones), replication and base backups included, and the trusted Unix socket sits in a
 * directory only the server's account can enter. Its owner still reads and writes through pgsplit with what it prints.
 */
@Timeout(180)
class DemoTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static DemoEnvironment demo;
  private static LocalPgCluster cluster;

  @TempDir
  static Path backupTarget;

  @BeforeAll
  static void startDemo() throws Exception {
    demo = DemoEnvironment.start(2, 0, OptionalInt.empty());
    cluster = demo.cluster();
  }

  @AfterAll
  static void stopDemo() {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void everyServerAsksATcpLoginForAPasswordNobodyCanGuess() {
    for (PgNode node : cluster.nodes()) {
      assertThatThrownBy(() -> DirectLogin.login(node, PgNode.SUPERUSER, null, false))
          .as("%s without a password", node).hasMessageContaining("no password was provided");
      assertThat(DirectLogin.refusal(node, PgNode.SUPERUSER, "postgres", false)).isEqualTo("28P01");
      assertThat(DirectLogin.refusal(node, cluster.appUser(), "app", false)).isEqualTo("28P01");
    }
  }

  @Test
  void replicationAndBaseBackupsNeedThePassword() {
    for (PgNode node : cluster.nodes()) {
      assertThatThrownBy(() -> DirectLogin.login(node, PgNode.SUPERUSER, null, true))
          .as("replication to %s without a password", node).hasMessageContaining("no password was provided");
    }
    PgNode primary = cluster.primary();
    ExternalCommand.Result backup = ExternalCommand.run(List.of(cluster.binaries().bin("pg_basebackup").toString(),
        "-D", backupTarget.resolve("copy").toString(), "-h", primary.host(), "-p", Integer.toString(primary.port()),
        "-U", PgNode.SUPERUSER, "--no-password", "-X", "none"), Map.of(), TIMEOUT);
    assertThat(backup.exitCode()).as("%s", backup).isNotZero();
    assertThat(backup.stderr()).contains("no password supplied");
    assertThat(backupTarget.resolve("copy").resolve("PG_VERSION")).doesNotExist();
  }

  @Test
  void theTrustedUnixSocketIsInADirectoryOnlyTheServerAccountCanEnter() throws Exception {
    for (PgNode node : cluster.nodes()) {
      Path socketDirectory = cluster.dataDirectory(node).getParent();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socketDirectory)))
          .as("mode of %s", socketDirectory).isEqualTo("rwx------");
      try (Connection superuser = node.connectAsSuperuser()) {
        assertThat(show(superuser, "unix_socket_directories")).isEqualTo(socketDirectory.toString());
        assertThat(show(superuser, "unix_socket_permissions")).isEqualTo("0700");
      }
    }
  }

  @Test
  void theOwnerReadsAndWritesThroughPgsplitWithWhatTheDemoPrints() throws SQLException {
    try (Connection connection = DriverManager.getConnection(demo.jdbcUrl());
        Statement statement = connection.createStatement()) {
      try (ResultSet read = statement.executeQuery("SELECT pg_is_in_recovery(), count(*) FROM "
          + DemoEnvironment.DEMO_TABLE)) {
        assertThat(read.next()).isTrue();
        assertThat(read.getBoolean(1)).as("the read ran on a replica").isTrue();
        assertThat(read.getLong(2)).isGreaterThanOrEqualTo(3);
      }
      try (ResultSet write = statement.executeQuery("INSERT INTO " + DemoEnvironment.DEMO_TABLE
          + " (name) VALUES ('kiwi') RETURNING pg_is_in_recovery()")) {
        assertThat(write.next()).isTrue();
        assertThat(write.getBoolean(1)).as("the write ran on the primary").isFalse();
      }
    }
    ExternalCommand.Result psql = ExternalCommand.run(List.of("psql", demo.psqlUrl(), "-X", "-At", "-w", "-c",
        "SELECT name FROM " + DemoEnvironment.DEMO_TABLE + " WHERE name = 'apple'"), Map.of(), TIMEOUT);
    assertThat(psql.requireSuccess().stdout().strip()).isEqualTo("apple");
  }




  private static String show(Connection connection, String setting) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("SHOW " + setting)) {
      row.next();
      return row.getString(1);
    }
  }
}
