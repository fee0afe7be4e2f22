package io.pgsplit.it.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.cluster.PgNode;
import io.pgsplit.it.session.SessionCluster.Served;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two clients take turns on the one pooled connection to the one replica ({@code pool.replica_max_per_server: 1}):
 * neither sees the other's settings or prepared statements, however they interleave. The replica's backend pid
 * proves they really shared a server process.
 */
@ExtendWith(SessionClusterExtension.class)
@Timeout(60)
class SharedReplicaConnectionTest {
  private static final String SETTINGS = "SELECT inet_server_port(), pg_backend_pid()::text,"
      + " current_setting('search_path'), current_setting('TimeZone'), current_setting('application_name')";
  private static final String DEFAULT_SEARCH_PATH = "\"$user\", public";

  private static SessionCluster cluster;
  private static PgNode replica;
  private static TestProxy proxy;

  @BeforeAll
  static void startProxyWithOneReplicaConnection(SessionCluster shared) throws SQLException {
    cluster = shared;
    replica = cluster.replicas().get(0);
    cluster.setUpOnPrimary(TenantSchemas.CREATE);
    proxy = cluster.proxyConfig().servers(cluster.primary(), replica).replicaMaxPerServer(1).start();
  }

  @AfterAll
  static void stopProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  @AfterEach
  void replicaKeepsOneProxyConnection() throws SQLException {
    assertThat(ProxyBackends.on(replica, cluster.appUser())).as("pgsplit's connections on %s", replica.name())
        .hasSize(1);
  }

  @Test
  void secondClientOnTheSameReplicaConnectionInheritsNoneOfTheFirstClientsSettings() throws SQLException {
    try (Connection first = proxy.connect(); Statement statement = first.createStatement()) {
      statement.execute("SET search_path = tenant_b");
      statement.execute("SET TimeZone = 'Asia/Tokyo'");
      statement.execute("SET application_name = 'first-client'");
      Served firstBefore = cluster.ask(first, SETTINGS);
      assertThat(firstBefore.node()).isEqualTo(replica.name());
      assertThat(firstBefore.values().subList(1, 4)).containsExactly("tenant_b", "Asia/Tokyo", "first-client");
      assertThat(cluster.ask(first, "SELECT inet_server_port(), string_agg(name, ',') FROM items").value())
          .isEqualTo(TenantSchemas.TENANT_B_ITEMS);

      try (Connection second = proxy.connectOnSameEventLoopAs(first)) {
        Served onPrimary = cluster.ask(second, SETTINGS + " /* pgsplit:primary */");
        Served secondRead = cluster.ask(second, SETTINGS);
        assertThat(secondRead.node()).isEqualTo(replica.name());
        assertThat(secondRead.value()).as("replica backend pid").isEqualTo(firstBefore.value());
        assertThat(secondRead.values().subList(1, 4)).as("search_path, TimeZone, application_name")
            .containsExactlyElementsOf(onPrimary.values().subList(1, 4))
            .doesNotContain("tenant_b", "Asia/Tokyo", "first-client");
        assertThat(secondRead.values().get(1)).isEqualTo(DEFAULT_SEARCH_PATH);
        assertThat(ProxyBackends.on(replica, cluster.appUser())).as("pgsplit's connections on %s", replica.name())
            .singleElement().extracting(ProxyBackends.Backend::pid).hasToString(firstBefore.value());
      }

      Served firstAfter = cluster.ask(first, SETTINGS);
      assertThat(firstAfter.value()).as("replica backend pid").isEqualTo(firstBefore.value());
      assertThat(firstAfter.values().subList(1, 4)).containsExactly("tenant_b", "Asia/Tokyo", "first-client");
    }
  }

  /** Simple Query mode: pgsplit runs an EXECUTE of a SQL-prepared read on a replica only when it comes as a Query. */
  @Test
  void sqlPreparedStatementsOfTwoClientsWithTheSameNameStayApartOnTheSharedConnection() throws SQLException {
    try (Connection first = proxy.connect("preferQueryMode=simple");
        Statement firstStatement = first.createStatement()) {
      firstStatement.execute("PREPARE shared_q AS SELECT inet_server_port(), pg_backend_pid()::text, 'first'");
      Served firstBefore = cluster.ask(first, "EXECUTE shared_q");
      assertThat(firstBefore.node()).isEqualTo(replica.name());

      try (Connection second = proxy.connectOnSameEventLoopAs(first, "preferQueryMode=simple");
          Statement secondStatement = second.createStatement()) {
        assertThat(SqlStates.of(() -> secondStatement.execute("EXECUTE shared_q"))).as("before its own PREPARE")
            .isEqualTo("26000");
        secondStatement.execute("PREPARE shared_q AS SELECT inet_server_port(), pg_backend_pid()::text, 'second'");
        assertThat(cluster.ask(second, "EXECUTE shared_q"))
            .isEqualTo(new Served(replica.name(), true, List.of(firstBefore.value(), "second")));
      }

      assertThat(cluster.ask(first, "EXECUTE shared_q"))
          .isEqualTo(new Served(replica.name(), true, List.of(firstBefore.value(), "first")));
    }
  }

  /** pgjdbc names its server-side statements S_1, S_2, … per connection, so two clients reuse the same names. */
  @Test
  void protocolStatementsOfTwoClientsWithTheSameNameStayApartOnTheSharedConnection() throws SQLException {
    try (Connection first = proxy.connect("prepareThreshold=1");
        PreparedStatement firstRead = first.prepareStatement(
            "SELECT inet_server_port(), pg_backend_pid()::text, 'first:' || ?::int")) {
      firstRead.setInt(1, 1);
      Served firstBefore = cluster.ask(firstRead);
      assertThat(firstBefore.values()).element(1).isEqualTo("first:1");

      try (Connection second = proxy.connectOnSameEventLoopAs(first, "prepareThreshold=1");
          PreparedStatement secondRead = second.prepareStatement(
              "SELECT inet_server_port(), pg_backend_pid()::text, 'second:' || ?::text, now()")) {
        for (int i = 0; i < 3; i++) {
          secondRead.setString(1, "x" + i);
          assertThat(cluster.ask(secondRead).values()).startsWith(firstBefore.value(), "second:x" + i);
        }
      }

      for (int i = 2; i < 5; i++) {
        firstRead.setInt(1, i);
        assertThat(cluster.ask(firstRead))
            .isEqualTo(new Served(replica.name(), true, List.of(firstBefore.value(), "first:" + i)));
      }
    }
  }
}
