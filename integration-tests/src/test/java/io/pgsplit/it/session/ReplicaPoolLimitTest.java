package io.pgsplit.it.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.pgsplit.it.session.SessionCluster.Served;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code pool: {replica_max_per_server: 2, acquire_timeout: 1s}}: with both connections to both replicas lent to
 * open read-only transactions, the next read waits one second and gets SQLSTATE 53300 with a message naming the
 * limit; as soon as a transaction ends, the next client is served.
 */
@ExtendWith(SessionClusterExtension.class)
@Timeout(60)
class ReplicaPoolLimitTest {
  private static final String TOO_MANY_CONNECTIONS = "53300";
  private static final String READ = "SELECT inet_server_port(), pg_is_in_recovery()";

  private static SessionCluster cluster;
  private static TestProxy proxy;
  private final List<Connection> clients = new ArrayList<>();

  @BeforeAll
  static void startProxyWithTwoConnectionsPerReplica(SessionCluster shared) {
    cluster = shared;
    proxy = cluster.proxyConfig().replicaMaxPerServer(2).acquireTimeout("1s").start();
  }

  @AfterAll
  static void stopProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  @AfterEach
  void closeClients() throws SQLException {
    for (Connection client : clients) {
      client.close();
    }
  }

  @Test
  void readBeyondThePoolLimitGets53300AfterTheAcquireTimeoutAndTheNextIsServedOnceATransactionEnds()
      throws SQLException {
    Map<String, List<Connection>> holdersByReplica = new TreeMap<>();
    for (int i = 0; i < 4; i++) {
      Connection holder = readOnlyTransactionClient();
      Served read = cluster.ask(holder, READ);
      assertThat(read.onReplica()).isTrue();
      holdersByReplica.computeIfAbsent(read.node(), node -> new ArrayList<>()).add(holder);
    }
    assertThat(holdersByReplica).as("open read-only transactions per replica").hasSize(2)
        .allSatisfy((replica, holders) -> assertThat(holders).hasSize(2));

    Connection waiting = readOnlyTransactionClient();
    long start = System.nanoTime();
    assertThatExceptionOfType(SQLException.class).as("the read beyond the limit")
        .isThrownBy(() -> cluster.ask(waiting, READ))
        .satisfies(refused -> assertThat(refused.getSQLState()).isEqualTo(TOO_MANY_CONNECTIONS))
        .withMessageContaining("1000 ms").withMessageContaining("replica_max_per_server=2");
    long waitedMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(waitedMillis).as("time until refused").isBetween(900L, 4000L);
    waiting.rollback();

    Connection autocommitReader = client();
    assertThat(SqlStates.of(() -> cluster.ask(autocommitReader, READ))).as("a read outside a transaction")
        .isEqualTo(TOO_MANY_CONNECTIONS);

    for (List<Connection> holders : holdersByReplica.values()) {
      holders.get(0).commit();
    }
    for (int i = 0; i < 2; i++) {
      assertThat(cluster.ask(waiting, READ).onReplica()).isTrue();
      waiting.commit();
      assertThat(cluster.ask(autocommitReader, READ).onReplica()).isTrue();
    }
  }

  @Test
  void oneEndedTransactionServesTheNextReadWhicheverReplicaTheRotationPicks() throws SQLException {
    List<Served> holds = new ArrayList<>();
    List<Connection> holders = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Connection holder = readOnlyTransactionClient();
      holds.add(cluster.ask(holder, READ));
      holders.add(holder);
    }
    holders.get(0).commit(); // one slot frees up, on one replica only
    Connection next = client();
    List<String> outcomes = new ArrayList<>();
    for (int i = 0; i < 2; i++) { // the rotation offers each replica once
      outcomes.add(SqlStates.of(() -> cluster.ask(next, READ)));
    }
    assertThat(outcomes).as("reads while %s has a free connection", holds.get(0).node())
        .containsOnly(SqlStates.SUCCESS);
  }

  private Connection client() throws SQLException {
    Connection connection = proxy.connect();
    clients.add(connection);
    return connection;
  }

  /** pgjdbc begins {@code BEGIN READ ONLY} with the first statement: pgsplit lends a replica connection for it. */
  private Connection readOnlyTransactionClient() throws SQLException {
    Connection connection = client();
    connection.setAutoCommit(false);
    connection.setReadOnly(true);
    return connection;
  }
}
