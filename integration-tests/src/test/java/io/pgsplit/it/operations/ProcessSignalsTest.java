package io.pgsplit.it.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsplit.cluster.FreePorts;
import io.pgsplit.cluster.PgNode;
import io.pgsplit.it.admin.AdminHttp;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher as a service manager drives it: SIGHUP (and {@code --watch}) reloads the file, SIGTERM stops
 * gracefully within {@code shutdown_timeout} and exits 0. Each test runs its own pgsplit process.
 */
@Timeout(60)
class ProcessSignalsTest {
  private static final Path LOGS = Path.of("target", "pgsplit-process-logs");
  /** The exit may come this long after the shutdown timeout: closing what is left, stopping the JVM. */
  private static final Duration EXIT_SLACK = Duration.ofSeconds(3);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static OperationsCluster cluster;
  private static PgNode pg1;
  private static PgNode pg2;
  private static PgNode pg3;

  @TempDir
  Path directory;
  private String testName;
  private int port;
  private PgSplitProcess pgsplit;

  @BeforeAll
  static void startCluster() throws SQLException {
    cluster = OperationsCluster.start(ProcessSignalsTest.class);
    pg1 = cluster.primary();
    pg2 = cluster.firstReplica();
    pg3 = cluster.secondReplica();
    cluster.setUpOnPrimary("CREATE TABLE shutdown_rows (id int)");
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void nameTheLog(TestInfo test) {
    testName = test.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void stopPgsplit() {
    if (pgsplit != null) {
      pgsplit.close();
    }
  }

  @Test
  void sighupReloadsTheFile() throws Exception {
    startPgsplit(cluster.proxyConfig(pg1, pg2));
    try (Connection session = connect()) {
      assertThat(cluster.readsServedBy(session, 4)).containsOnly(pg2.name());

      write(cluster.proxyConfig(pg1, pg2, pg3));
      Thread.sleep(1_000); // five health intervals: pg3 would be getting reads by now, had the file been read
      assertThat(cluster.readsServedBy(session, 4)).as("reads before SIGHUP, without --watch")
          .containsOnly(pg2.name());
      pgsplit.signal("HUP");

      await("reads to reach pg3 after SIGHUP").atMost(Duration.ofSeconds(3))
          .untilAsserted(() -> assertThat(cluster.readsServedBy(session, 2)).contains(pg3.name()));
    }
  }

  @Test
  void statusShowsTheVersionUptimeConfigFileAndTheLastReloadsResultAndTime() throws Exception {
    int adminPort = FreePorts.pick();
    startPgsplit(cluster.proxyConfig(pg1, pg2).adminOn(adminPort));
    AdminHttp admin = new AdminHttp(new InetSocketAddress("127.0.0.1", adminPort));
    JsonNode before = JSON.readTree(admin.get("/status").body()).get("process");
    assertThat(before.get("version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(before.get("config_path").asText()).isEqualTo(pgsplit.configPath());
    assertThat(before.get("uptime_seconds").asLong()).isNotNegative();
    assertThat(before.get("last_reload").isNull()).isTrue();

    write(cluster.proxyConfig(pg1).adminOn(adminPort).healthSetting("intervall", "200ms"));
    pgsplit.signal("HUP");
    await("the rejected reload on /status").atMost(Duration.ofSeconds(5)).until(() ->
        !JSON.readTree(admin.get("/status").body()).get("process").get("last_reload").isNull());
    JsonNode rejected = JSON.readTree(admin.get("/status").body()).get("process").get("last_reload");
    assertThat(rejected.get("result").asText()).isEqualTo("error");
    assertThat(rejected.get("detail").asText()).contains("health.intervall");
    assertThat(Instant.parse(rejected.get("at").asText())).isBetween(Instant.now().minusSeconds(10), Instant.now());

    write(cluster.proxyConfig(pg1, pg2, pg3).adminOn(adminPort));
    pgsplit.signal("HUP");
    await("the applied reload on /status").atMost(Duration.ofSeconds(5)).until(() ->
        JSON.readTree(admin.get("/status").body()).get("process").get("last_reload").get("result").asText()
            .equals("ok"));
    assertThat(admin.get("/").body()).contains("config: " + pgsplit.configPath())
        .contains("last reload: ok at ");
  }

  @Test
  void sighupIgnoredAtStartIsReportedWithAWarningNamingTheReliableTriggers() throws Exception {
    port = FreePorts.pick();
    write(cluster.proxyConfig(pg1, pg2));
    pgsplit = JvmPgSplitProcess.startUnderNohup(configFile(), LOGS.resolve(testName + ".log"));

    assertThat(pgsplit.log()).contains("WARN").contains("SIGHUP was ignored when pgsplit started")
        .contains("--watch").contains("systemctl reload");
  }

  @Test
  void startUpWarnsWhenAServersMaxConnectionsCannotCarryTheClientLimitButNotOfAHandledSighup() throws Exception {
    startPgsplit(cluster.proxyConfig(pg1, pg2)); // limits.max_client_connections 1000 by default

    pgsplit.awaitLog("exceeds what pg1 can carry in session mode", Duration.ofSeconds(10));
    assertThat(pgsplit.log()).contains("WARN").contains("limits.max_client_connections (1000)")
        .doesNotContain("SIGHUP was ignored");
  }

  @Test
  void watchReloadsWhenTheFileChangesWithoutASignal() throws Exception {
    startPgsplit(cluster.proxyConfig(pg1, pg2), "--watch");
    try (Connection session = connect()) {
      assertThat(cluster.readsServedBy(session, 4)).containsOnly(pg2.name());

      write(cluster.proxyConfig(pg1, pg2, pg3));

      await("reads to reach pg3 after the file changed").atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(cluster.readsServedBy(session, 2)).contains(pg3.name()));
    }
  }

  @Test
  void sighupWithABrokenFileKeepsRunningAndLogsTheBadKey() throws Exception {
    startPgsplit(cluster.proxyConfig(pg1, pg2, pg3));
    try (Connection session = connect()) {
      await("reads on both replicas").atMost(Duration.ofSeconds(3)).untilAsserted(() ->
          assertThat(cluster.readsServedBy(session, 4)).contains(pg2.name(), pg3.name()));

      // Without its replicas: were any of this file applied, reads would move to the primary at once.
      write(cluster.proxyConfig(pg1).healthSetting("intervall", "200ms"));
      pgsplit.signal("HUP");
      pgsplit.awaitLog("health.intervall", Duration.ofSeconds(5));

      assertThat(cluster.readsServedBy(session, 4)).containsOnly(pg2.name(), pg3.name());
    }
    try (Connection fresh = connect()) {
      assertThat(cluster.readsServedBy(fresh, 4)).containsOnly(pg2.name(), pg3.name());
      assertThat(insert(fresh, 10)).isEqualTo(pg1.name());
    }
  }

  @Test
  void sigtermLetsAnOpenTransactionFinishThenExitsZero() throws Exception {
    Duration shutdownTimeout = Duration.ofSeconds(5);
    startPgsplit(cluster.proxyConfig(pg1, pg2, pg3).shutdownTimeout("5s"));
    try (Connection transaction = connect()) {
      transaction.setAutoCommit(false);
      assertThat(insert(transaction, 1)).isEqualTo(pg1.name());

      long signalled = System.nanoTime();
      pgsplit.signal("TERM");

      await("new connections to be refused").atMost(Duration.ofSeconds(2)).until(this::refusesConnections);
      Thread.sleep(1_000); // a transaction that takes its time, well within the shutdown timeout
      assertThat(cluster.servedBy(transaction)).as("the open transaction after SIGTERM").isEqualTo(pg1.name());
      transaction.commit();
      assertFailsWithSqlState("57P01", () -> cluster.servedBy(transaction));
      assertThat(pgsplit.awaitExit(shutdownTimeout.plus(EXIT_SLACK).minusNanos(System.nanoTime() - signalled)))
          .isZero();
    }
    assertThat(rowsOnPrimary(1)).as("the committed row").isEqualTo(1);
    assertThat(pgsplit.log()).doesNotContain("LEAK:");
  }

  @Test
  void sigtermClosesSessionsStillBusyAfterTheTimeoutWith57P01() throws Exception {
    Duration shutdownTimeout = Duration.ofSeconds(1);
    startPgsplit(cluster.proxyConfig(pg1, pg2, pg3).shutdownTimeout("1s"));
    try (Connection transaction = connect()) {
      transaction.setAutoCommit(false);
      assertThat(insert(transaction, 2)).isEqualTo(pg1.name());

      long signalled = System.nanoTime();
      pgsplit.signal("TERM");
      Thread.sleep(300);
      assertThat(cluster.servedBy(transaction)).as("the open transaction within the shutdown timeout")
          .isEqualTo(pg1.name());

      assertThat(pgsplit.awaitExit(shutdownTimeout.plus(EXIT_SLACK).minusNanos(System.nanoTime() - signalled)))
          .isZero();
      assertFailsWithSqlState("57P01", () -> cluster.servedBy(transaction));
    }
    assertThat(rowsOnPrimary(2)).as("rows of the transaction cut at shutdown").isZero();
    assertThat(pgsplit.log()).doesNotContain("LEAK:");
  }

  /** Starts pgsplit on a fresh port below the ephemeral range, so a refused connection is never a self-connect. */
  private void startPgsplit(ProxyConfigYaml yaml, String... options) throws IOException {
    port = FreePorts.pick();
    write(yaml);
    pgsplit = PgSplitProcess.start(configFile(), LOGS.resolve(testName + ".log"), options);
  }

  private void write(ProxyConfigYaml yaml) {
    yaml.listenOn(port).writeTo(configFile());
  }

  private Path configFile() {
    return directory.resolve("pgsplit.yaml");
  }

  private Connection connect() throws SQLException {
    return cluster.connectThrough(new InetSocketAddress("127.0.0.1", port));
  }

  private boolean refusesConnections() throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      return false;
    } catch (ConnectException e) {
      return true;
    }
  }

  private static String insert(Connection connection, int id) throws SQLException {
    return cluster.servedBy(connection, "INSERT INTO shutdown_rows VALUES (" + id + ") RETURNING inet_server_port()");
  }

  private static long rowsOnPrimary(int id) throws SQLException {
    try (Connection connection = cluster.connectDirectly(pg1);
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT count(*) FROM shutdown_rows WHERE id = " + id)) {
      row.next();
      return row.getLong(1);
    }
  }

  private static void assertFailsWithSqlState(String sqlState, ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).as("expected SQLSTATE %s", sqlState).isInstanceOf(SQLException.class);
    assertThat(((SQLException) thrown).getSQLState()).as("SQLSTATE of %s", thrown).isEqualTo(sqlState);
  }
}
