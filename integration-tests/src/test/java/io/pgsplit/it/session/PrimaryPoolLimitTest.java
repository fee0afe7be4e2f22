package io.pgsplit.it.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code pool_mode: transaction} with {@code pool: {primary_max_per_server: 1, acquire_timeout: 1s}}: while one
 * client's transaction holds the only primary connection, another client's write waits one second and gets
 * SQLSTATE 53300 (not 08006: the primary is reachable, its pool is full), and is served once the transaction ends.
 */
@ExtendWith(SessionClusterExtension.class)
@Timeout(60)
class PrimaryPoolLimitTest {
  private static final String TOO_MANY_CONNECTIONS = "53300";
  private static final String WRITE = "SELECT inet_server_port(), pg_is_in_recovery() FROM (SELECT 1) t FOR UPDATE";

  private static SessionCluster cluster;
  private static TestProxy proxy;
  private final List<Connection> clients = new ArrayList<>();

  @BeforeAll
  static void startProxyWithOnePrimaryConnection(SessionCluster shared) {
    cluster = shared;
    proxy = cluster.proxyConfig().poolMode("transaction").primaryMaxPerServer(1).acquireTimeout("1s").start();
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
  void aWriteBeyondThePrimaryPoolGets53300AfterTheAcquireTimeoutAndIsServedOnceTheTransactionEnds()
      throws SQLException {
    Connection holder = client();
    Connection waiting = client(); // logged in first: pgjdbc's start-up SETs need the primary too
    holder.setAutoCommit(false);
    assertThat(cluster.ask(holder, WRITE).onReplica()).as("the holder's transaction runs on the primary").isFalse();

    long start = System.nanoTime();
    assertThatExceptionOfType(SQLException.class).as("the write beyond the primary's pool")
        .isThrownBy(() -> cluster.ask(waiting, WRITE))
        .satisfies(refused -> assertThat(refused.getSQLState()).isEqualTo(TOO_MANY_CONNECTIONS))
        .withMessageContaining("primary_max_per_server=1");
    long waitedMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(waitedMillis).as("time until refused").isBetween(900L, 4000L);

    holder.commit();
    assertThat(cluster.ask(waiting, WRITE).onReplica()).as("served once the pool has room").isFalse();
  }

  private Connection client() throws SQLException {
    Connection connection = proxy.connect();
    clients.add(connection);
    return connection;
  }
}
