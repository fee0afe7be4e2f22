package io.pgsplit.it.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsplit.cluster.PgNode;
import io.pgsplit.it.session.SessionCluster.Served;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A client that goes away in the middle of a read-only transaction on a pooled replica connection: pgsplit rolls
 * the connection back or closes it, and never lends it dirty. With one connection allowed to the one replica, the
 * next clients must use that slot, so a dirty connection or a slot never given back would show.
 */
@ExtendWith(SessionClusterExtension.class)
@Timeout(60)
class AbandonedReplicaTransactionTest {
  /** now() is the start of the transaction: a client that inherited the abandoned one would see its start. */
  private static final String TRANSACTION_START = "SELECT inet_server_port(), now()::text";
  private static final Duration SETTLE = Duration.ofSeconds(10);

  private static SessionCluster cluster;
  private static PgNode replica;
  private static TestProxy proxy;

  /** How a client leaves without ending its transaction. */
  enum Departure {
    /** {@code Connection.close()}: pgjdbc sends Terminate, no COMMIT or ROLLBACK. */
    CLOSE_WITHOUT_COMMIT {
      @Override
      void leave(Connection connection) throws SQLException {
        connection.close();
      }
    },
    /** {@code Connection.abort()}: pgjdbc closes its socket without a word. */
    SOCKET_CLOSED_ABRUPTLY {
      @Override
      void leave(Connection connection) throws SQLException {
        connection.abort(Runnable::run);
      }
    };

    abstract void leave(Connection connection) throws SQLException;
  }

  @BeforeAll
  static void startProxyWithOneReplicaConnection(SessionCluster shared) {
    cluster = shared;
    replica = cluster.replicas().get(0);
    proxy = cluster.proxyConfig().servers(cluster.primary(), replica).replicaMaxPerServer(1).acquireTimeout("2s")
        .start();
  }

  @AfterAll
  static void stopProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Departure.class)
  void clientLeavingAnOpenReadOnlyTransactionLeavesNoDirtyReplicaConnection(Departure departure)
      throws SQLException {
    Connection leaving = proxy.connect();
    leaving.setAutoCommit(false);
    leaving.setReadOnly(true);
    Served inTransaction = cluster.ask(leaving, "SELECT inet_server_port(), now()::text, pg_backend_pid()");
    assertThat(inTransaction.node()).isEqualTo(replica.name());
    assertThat(ProxyBackends.on(replica, cluster.appUser()))
        .contains(new ProxyBackends.Backend(Integer.parseInt(inTransaction.values().get(1)), "idle in transaction"));

    departure.leave(leaving);

    awaitNoOpenTransactionOnReplica();
    assertNextClientsGetCleanConnections(inTransaction.value());
  }

  @Test
  void clientVanishingWhileItsStatementRunsOnTheReplicaLeavesNoDirtyReplicaConnection() throws Exception {
    ExecutorService runner = Executors.newSingleThreadExecutor();
    try {
      Connection leaving = proxy.connect();
      leaving.setAutoCommit(false);
      leaving.setReadOnly(true);
      String abandonedStart = cluster.ask(leaving, TRANSACTION_START).value();
      CompletableFuture<String> sleeping = CompletableFuture.supplyAsync(() -> SqlStates.of(
          () -> cluster.ask(leaving, "SELECT inet_server_port(), pg_sleep(2)::text")), runner);
      await("the sleep to start on " + replica.name()).atMost(SETTLE).pollInterval(Duration.ofMillis(20))
          .until(() -> ProxyBackends.on(replica, cluster.appUser()).stream()
              .anyMatch(backend -> backend.state().equals("active")));

      leaving.abort(Runnable::run);

      assertThat(sleeping.get()).as("the aborted client's own statement").isNotEqualTo(SqlStates.SUCCESS);
      awaitNoOpenTransactionOnReplica();
      assertNextClientsGetCleanConnections(abandonedStart);
    } finally {
      runner.shutdownNow();
    }
  }

  private static void awaitNoOpenTransactionOnReplica() {
    await("no pgsplit connection left in a transaction on " + replica.name()).atMost(SETTLE)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> ProxyBackends.on(replica, cluster.appUser()).stream()
            .noneMatch(backend -> backend.state().startsWith("idle in transaction")));
  }

  /**
   * Clients one after another, on the one connection slot: each starts a transaction of its own, not the abandoned
   * one (which began at {@code abandonedStart}), and BEGIN draws no "already a transaction in progress" warning.
   */
  private static void assertNextClientsGetCleanConnections(String abandonedStart) throws SQLException {
    for (int i = 0; i < 3; i++) {
      try (Connection next = proxy.connect()) {
        Served autocommitRead = cluster.ask(next, TRANSACTION_START);
        assertThat(autocommitRead.node()).isEqualTo(replica.name());
        assertThat(autocommitRead.value()).isNotEqualTo(abandonedStart);
        next.setAutoCommit(false);
        next.setReadOnly(true);
        Served transactionRead = cluster.ask(next, TRANSACTION_START);
        assertThat(transactionRead.node()).isEqualTo(replica.name());
        assertThat(transactionRead.value()).isNotEqualTo(abandonedStart);
        assertThat((Object) next.getWarnings()).as("warnings of BEGIN READ ONLY").isNull();
        assertThat(cluster.ask(next, "SELECT inet_server_port(), current_setting('transaction_read_only')"))
            .isEqualTo(new Served(replica.name(), true, List.of("on")));
        next.commit();
      }
    }
    // A server process whose statement was still running when its client vanished ends when the statement does.
    await("only idle pgsplit connections on " + replica.name()).atMost(SETTLE).pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertThat(ProxyBackends.on(replica, cluster.appUser()))
            .extracting(ProxyBackends.Backend::state).containsExactly("idle"));
  }
}
