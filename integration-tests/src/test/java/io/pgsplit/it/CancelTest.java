package io.pgsplit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Statement.cancel() sends a CancelRequest on a new connection with the key the proxy handed out; the proxy must
 * find the server connection that runs the statement and cancel it there.
 */
@ExtendWith(ClusterExtension.class)
@Timeout(60)
class CancelTest {
  /** A lost or misdirected cancel would instead leave the statement running for its 30 s. */
  private static final Duration CANCEL_LATENCY = Duration.ofSeconds(1);
  private static ProxiedCluster cluster;
  private static ActiveQueries activeQueries;
  private static ExecutorService queryThread;

  @BeforeAll
  static void setUp(ProxiedCluster shared) {
    cluster = shared;
    activeQueries = new ActiveQueries(shared.cluster());
    queryThread = Executors.newSingleThreadExecutor();
  }

  @AfterAll
  static void tearDown() throws InterruptedException {
    queryThread.shutdownNow();
    assertThat(queryThread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @ParameterizedTest
  @EnumSource(JdbcMode.class)
  void cancelStopsASleepOnAReplicaPromptlyAndTheConnectionStaysUsable(JdbcMode mode) throws SQLException {
    String sleep = "SELECT pg_sleep(30), 'cancel on a replica, " + mode + "'";
    try (Connection connection = cluster.connect(mode); Statement statement = connection.createStatement()) {
      assertThat(cancelWhileRunning(statement, sleep)).isIn(cluster.replicaNames());
      assertThat(cluster.where(connection)).isIn(cluster.replicaNames());
    }
  }

  @ParameterizedTest
  @EnumSource(JdbcMode.class)
  void cancelStopsASleepInsideAPrimaryTransaction(JdbcMode mode) throws SQLException {
    String sleep = "SELECT pg_sleep(30), 'cancel in a transaction, " + mode + "'";
    try (Connection connection = cluster.connect(mode); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      assertThat(cluster.where(connection)).isEqualTo(cluster.primary().name());
      assertThat(cancelWhileRunning(statement, sleep)).isEqualTo(cluster.primary().name());
      connection.rollback();
      assertThat(cluster.where(connection)).isEqualTo(cluster.primary().name());
      connection.commit();
    }
  }

  /**
   * Runs {@code sql} on another thread, cancels it once a server executes it, and names that server. Waiting for
   * pg_stat_activity to show the statement, rather than a fixed delay, makes sure the cancel cannot overtake it.
   */
  private static String cancelWhileRunning(Statement statement, String sql) throws SQLException {
    CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
      try {
        statement.execute(sql);
      } catch (SQLException e) {
        throw new CompletionException(e);
      }
    }, queryThread);
    String node = activeQueries.awaitNodeRunning(sql, Duration.ofSeconds(10));
    long cancelledAt = System.nanoTime();
    statement.cancel();
    Throwable failure = catchThrowable(() -> running.get(CANCEL_LATENCY.toMillis(), TimeUnit.MILLISECONDS));
    Duration latency = Duration.ofNanos(System.nanoTime() - cancelledAt);
    assertThat(failure).as("outcome of %s after cancel()", sql).hasCauseInstanceOf(SQLException.class);
    assertThat(((SQLException) failure.getCause()).getSQLState()).isEqualTo("57014");
    assertThat(latency).isLessThan(CANCEL_LATENCY);
    return node;
  }
}
