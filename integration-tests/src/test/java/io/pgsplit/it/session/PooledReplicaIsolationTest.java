package io.pgsplit.it.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsplit.cluster.PgNode;
import io.pgsplit.it.Sql;
import io.pgsplit.it.session.SessionCluster.Served;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 16 §1 and issue 17: a read that calls a user function runs on the one pooled replica connection
 * ({@code pool.replica_max_per_server: 1}), and the function changes that connection's session state behind
 * pgsplit's back (set_config inside a STABLE function, which the catalog lets run on a replica). The next client,
 * lent the very same server process, must find it clean; pgsplit resets it with DISCARD ALL, so the connection
 * stays (one backend on the replica throughout).
 */
@ExtendWith(SessionClusterExtension.class)
@Timeout(90)
class PooledReplicaIsolationTest {
  private static final String OTHER_ROLE = "iso_other_role";
  private static final int LOCK_KEY = 1616;

  private static SessionCluster cluster;
  private static PgNode replica;
  private static TestProxy proxy;

  @BeforeAll
  static void startProxyWithOneReplicaConnection(SessionCluster shared) throws SQLException {
    cluster = shared;
    replica = cluster.replicas().get(0);
    Sql.superuserExecute(cluster.primary(),
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + OTHER_ROLE + "') THEN"
            + " CREATE ROLE " + OTHER_ROLE + " NOLOGIN; END IF; END $$",
        "GRANT " + OTHER_ROLE + " TO " + cluster.appUser());
    cluster.setUpOnPrimary(TenantSchemas.CREATE);
    cluster.setUpOnPrimary(
        "DROP TABLE IF EXISTS iso_tenant_rows",
        "CREATE TABLE iso_tenant_rows (tenant text NOT NULL, v text NOT NULL)",
        "INSERT INTO iso_tenant_rows VALUES ('a', 'a-secret'), ('b', 'b-secret')",
        "ALTER TABLE iso_tenant_rows ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE iso_tenant_rows FORCE ROW LEVEL SECURITY",
        "DROP POLICY IF EXISTS iso_by_tenant ON iso_tenant_rows",
        "CREATE POLICY iso_by_tenant ON iso_tenant_rows USING (tenant = current_setting('app.tenant', true))",
        stable("iso_set_work_mem()", "set_config('work_mem', '55MB', false)"),
        stable("iso_set_search_path()", "set_config('search_path', 'tenant_b', false)"),
        stable("iso_set_role()", "set_config('role', '" + OTHER_ROLE + "', false)"),
        stable("iso_take_lock()", "pg_try_advisory_lock(" + LOCK_KEY + ")::text"),
        stable("set_tenant(t text)", "set_config('app.tenant', t, false)"),
        stable("iso_serializable()", "set_config('default_transaction_isolation', 'serializable', false)"),
        stable("iso_probe()", "'probe'"));
    proxy = cluster.proxyConfig().servers(cluster.primary(), replica).replicaMaxPerServer(1).start();
    awaitCatalog(proxy);
  }

  /** A STABLE SQL function: the catalog judges it a read, so a call goes to a replica. */
  static String stable(String signature, String body) {
    return "CREATE OR REPLACE FUNCTION " + signature + " RETURNS text LANGUAGE sql STABLE AS $$ SELECT " + body + " $$";
  }

  /** Until the catalog is loaded, a call of a user function is unknown and goes to the primary. */
  static void awaitCatalog(TestProxy proxy) throws SQLException {
    try (Connection connection = proxy.connect()) {
      await("the catalog lets iso_probe() run on a replica").atMost(Duration.ofSeconds(20))
          .until(() -> cluster.ask(connection, "SELECT inet_server_port(), iso_probe()").onReplica());
    }
  }

  @AfterAll
  static void stopProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  @AfterEach
  void theReplicaConnectionWasResetNotReplaced() {
    await("one pgsplit connection on " + replica.name()).atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(ProxyBackends.on(replica, cluster.appUser())).hasSize(1));
  }

  /** Runs the call {@code leak} on the replica as one client, then what a second client on the same replica backend sees of {@code check}. */
  private static Served nextClientAfter(String leak, String check) throws SQLException {
    // Both clients log in before the leak: the attempts to land on the same loop touch no connection afterwards.
    try (Connection first = proxy.connect(); Connection second = proxy.connectOnSameEventLoopAs(first)) {
      Served leaked = cluster.ask(first, "SELECT inet_server_port(), pg_backend_pid()::text, " + leak);
      assertThat(leaked.node()).as("where %s ran", leak).isEqualTo(replica.name());
      Served seen = cluster.ask(second, "SELECT inet_server_port(), pg_backend_pid()::text, " + check);
      assertThat(seen.node()).isEqualTo(replica.name());
      assertThat(seen.value()).as("the same replica backend").isEqualTo(leaked.value());
      return seen;
    }
  }

  @Test
  void aSettingChangedByAFunctionDoesNotReachTheNextClient() throws SQLException {
    Served seen = nextClientAfter("iso_set_work_mem()", "current_setting('work_mem')");
    assertThat(seen.values().get(1)).isNotEqualTo("55MB");
    assertThat(proxy.resets("function")).isPositive();
  }

  @Test
  void aSearchPathChangedByAFunctionDoesNotReachTheNextClient() throws SQLException {
    Served seen = nextClientAfter("iso_set_search_path()",
        "current_setting('search_path'), to_regclass('items')::text");
    assertThat(seen.values().get(1)).isEqualTo("\"$user\", public");
    assertThat(seen.values().get(2)).as("no table items on the default path").isNull();
  }

  @Test
  void aRoleTakenByAFunctionDoesNotReachTheNextClient() throws SQLException {
    Served seen = nextClientAfter("iso_set_role()", "current_user::text, current_setting('role')");
    assertThat(seen.values().subList(1, 3)).containsExactly(cluster.appUser(), "none");
  }

  @Test
  void anAdvisoryLockTakenByAFunctionIsReleasedOnceTheClientLeaves() throws SQLException {
    try (Connection first = proxy.connect()) {
      Served taken = cluster.ask(first, "SELECT inet_server_port(), iso_take_lock()");
      assertThat(taken).isEqualTo(new Served(replica.name(), true, java.util.List.of("true")));
    }
    try (Connection direct = cluster.connectDirectly(replica)) {
      await("another session can take the lock").atMost(Duration.ofSeconds(5))
          .until(() -> "t".equals(Sql.scalar(direct, "SELECT pg_try_advisory_lock(" + LOCK_KEY + ")")));
      Sql.execute(direct, "SELECT pg_advisory_unlock_all()");
    }
  }

  /** Issue 17: with the tenant helper, every second read showed another client the first client's tenant rows. */
  @Test
  void aTenantSetByAHelperFunctionDoesNotLetTheNextClientReadThatTenantsRows() throws SQLException {
    try (Connection first = proxy.connect("preferQueryMode=simple"); Statement statement = first.createStatement()) {
      statement.execute("SELECT set_tenant('a'); SELECT string_agg(v, ',') FROM iso_tenant_rows");
      assertThat(statement.getMoreResults()).isTrue();
      try (var rows = statement.getResultSet()) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).as("the first client sees its own tenant").isEqualTo("a-secret");
      }
      try (Connection second = proxy.connectOnSameEventLoopAs(first)) {
        for (int read = 0; read < 4; read++) {
          Served seen = cluster.ask(second, "SELECT inet_server_port(), coalesce(current_setting('app.tenant', true), ''),"
              + " (SELECT string_agg(v, ',') FROM iso_tenant_rows)");
          assertThat(seen.node()).isEqualTo(replica.name());
          assertThat(seen.values()).as("read %d of the second client", read).containsExactly("", null);
        }
      }
    }
  }

  /** Issue 17: one such call broke every later read on the connection with 0A000 until a restart. */
  @Test
  void serializableAsTheDefaultSetByAFunctionDoesNotBreakLaterReadsForOthers() throws SQLException {
    Served seen = nextClientAfter("iso_serializable()",
        "current_setting('default_transaction_isolation')");
    assertThat(seen.values().get(1)).isEqualTo("read committed");
  }

  /** Without the catalog nothing says a function is built in: a call of one not on the allow-list resets too. */
  @Test
  void withoutTheCatalogAnyFunctionOffTheAllowListResetsTheConnection() throws SQLException {
    try (TestProxy uncatalogued = cluster.proxyConfig().servers(cluster.primary(), replica).replicaMaxPerServer(1)
        .routing("catalog: off").start(); Connection first = uncatalogued.connect()) {
      assertThat(cluster.ask(first, "SELECT inet_server_port(), iso_set_work_mem()").node()).isEqualTo(replica.name());
      try (Connection second = uncatalogued.connectOnSameEventLoopAs(first)) {
        assertThat(cluster.ask(second, "SELECT inet_server_port(), current_setting('work_mem')").value())
            .isNotEqualTo("55MB");
      }
    }
  }
}
