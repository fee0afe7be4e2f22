package io.pgsplit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pgsplit.it.admin.AdminHttp;
import io.pgsplit.proxy.PgSplitServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * The same routing through a proxy on each Netty transport: the client listener, the server connections, the
 * cancel forwarding and the admin listener all run on it, and a channel of another transport would not even
 * register on its loops.
 */
@ExtendWith(ClusterExtension.class)
@Timeout(120)
class TransportTest {
  private static ProxiedCluster cluster;
  private static ExecutorService queryThread;

  @BeforeAll
  static void setUp(ProxiedCluster shared) throws SQLException {
    cluster = shared;
    queryThread = Executors.newSingleThreadExecutor();
    cluster.setUpOnPrimary("CREATE TABLE IF NOT EXISTS transport_writes (transport text, mode text)");
  }

  @AfterAll
  static void tearDown() throws InterruptedException {
    queryThread.shutdownNow();
    assertThat(queryThread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"io_uring", "epoll", "nio"})
  void readsGoToReplicasAndWritesToThePrimaryInEveryQueryMode(String transport) throws Exception {
    try (PgSplitServer proxy = ProxiedCluster.startProxy(ProxyYaml.forCluster(cluster.cluster()).admin()
        .transport(transport))) {
      assertThat(new AdminHttp(proxy.adminAddress().orElseThrow()).get("/metrics").body())
          .as("the transport really in use, not a fallback")
          .contains("pgsplit_transport_info{transport=\"" + transport + "\"} 1");
      for (JdbcMode mode : JdbcMode.values()) {
        try (Connection connection = connect(proxy, mode)) {
          assertThat(cluster.where(connection)).as("a read, %s", mode).isIn(cluster.replicaNames());
          assertThat(insertedOn(connection, transport, mode)).as("a write, %s", mode)
              .isEqualTo(cluster.primary().name());
          connection.setAutoCommit(false);
          assertThat(cluster.where(connection)).as("a read in a transaction, %s", mode)
              .isEqualTo(cluster.primary().name());
          connection.commit();
        }
      }
      try (Connection connection = connect(proxy, JdbcMode.SIMPLE); Statement statement = connection.createStatement()) {
        cancelWhileRunning(statement, "SELECT pg_sleep(30), 'cancel over " + transport + "'");
        assertThat(cluster.where(connection)).as("the connection after a cancel").isIn(cluster.replicaNames());
      }
    }
  }

  @Test
  void aReloadThatChangesTheTransportKeepsItAndSaysItNeedsARestart() throws Exception {
    ProxyYaml yaml = ProxyYaml.forCluster(cluster.cluster()).admin().transport("nio");
    Logger serverLog = (Logger) LoggerFactory.getLogger(PgSplitServer.class);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    serverLog.addAppender(log);
    try (PgSplitServer proxy = ProxiedCluster.startProxy(yaml)) {
      proxy.reload(yaml.transport("epoll").config());

      assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
          .contains("reload: transport changed from nio to epoll; it takes effect only after a restart");
      assertThat(new AdminHttp(proxy.adminAddress().orElseThrow()).get("/metrics").body())
          .contains("pgsplit_transport_info{transport=\"nio\"} 1")
          .doesNotContain("pgsplit_transport_info{transport=\"epoll\"}");
      try (Connection connection = connect(proxy, JdbcMode.EXTENDED_DEFAULT)) {
        assertThat(cluster.where(connection)).isIn(cluster.replicaNames());
      }
    } finally {
      serverLog.detachAppender(log);
    }
  }

  private static Connection connect(PgSplitServer proxy, JdbcMode mode) throws SQLException {
    return DriverManager.getConnection(ProxiedCluster.jdbcUrl(proxy.listenAddress(), mode.parameters().toArray(String[]::new)),
        cluster.cluster().appUser(), cluster.cluster().appPassword());
  }

  private static String insertedOn(Connection connection, String transport, JdbcMode mode) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO transport_writes VALUES (?, ?) RETURNING inet_server_port()")) {
      insert.setString(1, transport);
      insert.setString(2, mode.name());
      try (ResultSet row = insert.executeQuery()) {
        assertThat(row.next()).isTrue();
        return cluster.nodeListeningOn(row.getInt(1)).name();
      }
    }
  }

  /** The cancel travels on a connection the proxy opens from a client's loop: a channel of this transport. */
  private static void cancelWhileRunning(Statement statement, String sql) throws Exception {
    ActiveQueries activeQueries = new ActiveQueries(cluster.cluster());
    CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
      try {
        statement.executeQuery(sql).close();
      } catch (SQLException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, queryThread);
    activeQueries.awaitNodeRunning(sql, Duration.ofSeconds(10));
    statement.cancel();
    Throwable failure = catchThrowable(() -> running.get(5, TimeUnit.SECONDS));
    assertThat(failure).as("outcome of %s after cancel()", sql).hasCauseInstanceOf(SQLException.class);
    assertThat(((SQLException) failure.getCause()).getSQLState()).isEqualTo("57014");
  }
}
