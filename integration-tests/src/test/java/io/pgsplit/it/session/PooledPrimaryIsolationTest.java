package io.pgsplit.it.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsplit.it.Sql;
import io.pgsplit.it.session.SessionCluster.Served;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 16 §1 for {@code pool_mode: transaction}: the primary's one pooled connection
 * ({@code pool.primary_max_per_server: 1}) runs a function that changes its session state (volatile functions go to
 * the primary). The next client lent the same server process finds it clean; a lock the client took, or left
 * behind in a session pgsplit kept for it (a pin), is gone once the client has left.
 */
@ExtendWith(SessionClusterExtension.class)
@Timeout(90)
class PooledPrimaryIsolationTest {
  private static final int FUNCTION_LOCK = 1617;
  private static final int PINNED_LOCK = 1618;

  private static SessionCluster cluster;
  private static TestProxy proxy;

  @BeforeAll
  static void startProxyWithOnePrimaryConnection(SessionCluster shared) throws SQLException {
    cluster = shared;
    cluster.setUpOnPrimary(
        volatileFunction("iso_primary_work_mem()", "PERFORM set_config('work_mem', '56MB', false);"),
        volatileFunction("iso_make_temp()", "CREATE TEMP TABLE IF NOT EXISTS iso_scratch (a int);"),
        volatileFunction("iso_primary_lock()", "PERFORM pg_try_advisory_lock(" + FUNCTION_LOCK + ");"));
    proxy = cluster.proxyConfig().servers(cluster.primary()).poolMode("transaction").primaryMaxPerServer(1)
        .acquireTimeout("20s").start();
  }

  private static String volatileFunction(String signature, String statement) {
    return "CREATE OR REPLACE FUNCTION " + signature + " RETURNS text LANGUAGE plpgsql AS $$ BEGIN " + statement
        + " RETURN 'done'; END $$";
  }

  @AfterAll
  static void stopProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  /** Runs the call {@code leak} as one client, then what a second client on the same primary backend sees of {@code check}. */
  private static Served nextClientAfter(String leak, String check) throws SQLException {
    // Both clients log in before the leak: the attempts to land on the same loop touch no connection afterwards.
    try (Connection first = proxy.connect(); Connection second = proxy.connectOnSameEventLoopAs(first)) {
      String pid = cluster.ask(first, "SELECT inet_server_port(), pg_backend_pid()::text, " + leak).value();
      Served seen = cluster.ask(second, "SELECT inet_server_port(), pg_backend_pid()::text, " + check);
      assertThat(seen.value()).as("the same primary backend").isEqualTo(pid);
      return seen;
    }
  }

  @Test
  void aSettingChangedByAFunctionDoesNotReachTheNextClient() throws SQLException {
    Served seen = nextClientAfter("iso_primary_work_mem()", "current_setting('work_mem')");
    assertThat(seen.values().get(1)).isNotEqualTo("56MB");
  }

  @Test
  void aTemporaryTableCreatedByAFunctionIsGoneForTheNextClient() throws SQLException {
    Served seen = nextClientAfter("iso_make_temp()", "to_regclass('pg_temp.iso_scratch')::text");
    assertThat(seen.values().get(1)).isNull();
  }

  @Test
  void anAdvisoryLockTakenByAFunctionIsReleasedOnceTheClientLeaves() throws SQLException {
    try (Connection first = proxy.connect()) {
      Sql.execute(first, "SELECT iso_primary_lock()");
    }
    assertAnotherSessionCanTake(FUNCTION_LOCK);
  }

  /** pgsplit kept the connection for the client's lock (a pin); the client leaving must not leave the lock behind. */
  @Test
  void anAdvisoryLockOfAPinnedSessionIsReleasedOnceTheClientLeaves() throws SQLException {
    try (Connection first = proxy.connect()) {
      Sql.execute(first, "SELECT pg_advisory_lock(" + PINNED_LOCK + ")");
    }
    assertAnotherSessionCanTake(PINNED_LOCK);
    assertThat(proxy.resets("session_function")).as("pg_advisory_lock is one").isPositive();
  }

  private static void assertAnotherSessionCanTake(int key) throws SQLException {
    try (Connection direct = cluster.connectDirectly(cluster.primary())) {
      await("another session can take lock " + key).atMost(Duration.ofSeconds(5))
          .until(() -> "t".equals(Sql.scalar(direct, "SELECT pg_try_advisory_lock(" + key + ")")));
      Sql.execute(direct, "SELECT pg_advisory_unlock_all()");
    }
  }
}
