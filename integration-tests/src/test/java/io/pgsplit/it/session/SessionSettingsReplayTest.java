package io.pgsplit.it.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.it.Sql;
import io.pgsplit.it.session.SessionCluster.Served;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Settings follow the client to the replicas: a SET (or set_config, or a startup parameter) runs on the primary and
 * is replayed on every replica connection before it serves that client, with PostgreSQL's transaction semantics —
 * SET LOCAL ends with its transaction, a SET in a rolled-back transaction never happened.
 */
@ExtendWith(SessionClusterExtension.class)
@Timeout(60)
class SessionSettingsReplayTest {
  /** Reads twice per replica, so a setting missing on either one shows. */
  private static final int READS = 4;
  private static final String ITEMS = "SELECT inet_server_port(), string_agg(name, ',' ORDER BY name) FROM items";
  private static final String SEARCH_PATH = "SELECT inet_server_port(), current_setting('search_path')";
  private static final String DEFAULT_SEARCH_PATH = "\"$user\", public";

  private static SessionCluster cluster;
  private static TestProxy proxy;

  @BeforeAll
  static void createTenantSchemas(SessionCluster shared) throws SQLException {
    cluster = shared;
    cluster.setUpOnPrimary(TenantSchemas.CREATE);
    proxy = cluster.startProxy();
  }

  @AfterAll
  static void stopProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void searchPathSetThroughTheProxyIsReplayedOnBothReplicas() throws SQLException {
    try (Connection connection = proxy.connect(); Statement statement = connection.createStatement()) {
      statement.execute("SET search_path = tenant_b");
      assertReadsOnBothReplicas(connection, ITEMS, TenantSchemas.TENANT_B_ITEMS);
      statement.execute("SET search_path = tenant_a");
      assertReadsOnBothReplicas(connection, ITEMS, TenantSchemas.TENANT_A_ITEMS);
    }
  }

  @Test
  void timeZoneSetThroughTheProxyIsReplayedOnBothReplicas() throws SQLException {
    try (Connection connection = proxy.connect(); Statement statement = connection.createStatement()) {
      statement.execute("SET TimeZone = 'Asia/Tokyo'");
      List<Served> reads = readsOnBothReplicas(connection, "SELECT inet_server_port(), now()::text");
      assertThat(reads).extracting(Served::value).allSatisfy(now -> assertThat(now).endsWith("+09"));
    }
  }

  @Test
  void setConfigOfASessionSettingIsReplayedOnBothReplicas() throws SQLException {
    try (Connection connection = proxy.connect(); Statement statement = connection.createStatement()) {
      statement.execute("SELECT set_config('search_path', 'tenant_b', false)");
      assertReadsOnBothReplicas(connection, ITEMS, TenantSchemas.TENANT_B_ITEMS);
    }
  }

  @Test
  void resetSearchPathGoesBackToTheDefaultOnReplicas() throws SQLException {
    try (Connection connection = proxy.connect(); Statement statement = connection.createStatement()) {
      statement.execute("SET search_path = tenant_b");
      assertReadsOnBothReplicas(connection, ITEMS, TenantSchemas.TENANT_B_ITEMS);
      statement.execute("RESET search_path");
      assertReadsOnBothReplicas(connection, SEARCH_PATH, DEFAULT_SEARCH_PATH);
    }
  }

  @Test
  void setLocalDoesNotOutliveItsTransaction() throws SQLException {
    try (Connection connection = proxy.connect(); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      statement.execute("SET LOCAL search_path = tenant_b");
      Served inTransaction = cluster.ask(connection, ITEMS);
      assertThat(inTransaction.onReplica()).as("a read in the transaction").isFalse();
      assertThat(inTransaction.value()).isEqualTo(TenantSchemas.TENANT_B_ITEMS);
      connection.commit();
      connection.setAutoCommit(true);

      assertReadsOnBothReplicas(connection, SEARCH_PATH, DEFAULT_SEARCH_PATH);
      assertThat(cluster.ask(connection, "SELECT inet_server_port(), current_setting('search_path')"
          + " /* pgsplit:primary */")).isEqualTo(new Served(cluster.primary().name(), false,
          List.of(DEFAULT_SEARCH_PATH)));
    }
  }

  @Test
  void setInARolledBackTransactionIsNotReplayed() throws SQLException {
    try (Connection connection = proxy.connect(); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      statement.execute("SET search_path = tenant_b");
      assertThat(cluster.ask(connection, ITEMS).value()).isEqualTo(TenantSchemas.TENANT_B_ITEMS);
      connection.rollback();
      connection.setAutoCommit(true);

      assertReadsOnBothReplicas(connection, SEARCH_PATH, DEFAULT_SEARCH_PATH);
    }
  }

  @Test
  void setInACommittedTransactionIsReplayedAfterTheCommit() throws SQLException {
    try (Connection connection = proxy.connect(); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      statement.execute("SET search_path = tenant_b");
      connection.commit();
      connection.setAutoCommit(true);

      assertReadsOnBothReplicas(connection, ITEMS, TenantSchemas.TENANT_B_ITEMS);
    }
  }

  /** The SET runs on the replica that serves the read-only transaction; the session's other servers follow. */
  @Test
  void setInAReadOnlyTransactionOnAReplicaAppliesEverywhereAfterTheCommit() throws SQLException {
    try (Connection connection = proxy.connect(); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      connection.setReadOnly(true);
      statement.execute("SET search_path = tenant_b");
      Served inTransaction = cluster.ask(connection, ITEMS);
      assertThat(inTransaction.onReplica()).isTrue();
      assertThat(inTransaction.value()).isEqualTo(TenantSchemas.TENANT_B_ITEMS);
      connection.commit();
      connection.setReadOnly(false);
      connection.setAutoCommit(true);

      assertReadsOnBothReplicas(connection, ITEMS, TenantSchemas.TENANT_B_ITEMS);
      assertThat(cluster.ask(connection, ITEMS + " /* pgsplit:primary */"))
          .isEqualTo(new Served(cluster.primary().name(), false, List.of(TenantSchemas.TENANT_B_ITEMS)));
    }
  }

  @Test
  void searchPathInTheStartupOptionsAppliesOnBothReplicas() throws SQLException {
    try (Connection connection = proxy.connect("options=-c%20search_path%3Dtenant_b")) {
      assertReadsOnBothReplicas(connection, ITEMS, TenantSchemas.TENANT_B_ITEMS);
    }
  }

  /** pgjdbc sends ApplicationName and the JVM's time zone in its StartupMessage when it may assume PostgreSQL 9+. */
  @Test
  void applicationNameAndTimeZoneFromTheStartupMessageApplyOnBothReplicas() throws SQLException {
    try (Connection connection = proxy.connect("assumeMinServerVersion=10", "ApplicationName=startup-app")) {
      String timeZoneOnPrimary = cluster.ask(connection,
          "SELECT inet_server_port(), current_setting('TimeZone') /* pgsplit:primary */").value();
      assertReadsOnBothReplicas(connection, "SELECT inet_server_port(), current_setting('TimeZone')",
          timeZoneOnPrimary);
      assertReadsOnBothReplicas(connection, "SELECT inet_server_port(), current_setting('application_name')",
          "startup-app");
    }
  }

  @Test
  void applicationNameSetThroughTheProxyIsWhatReplicasShowAndWhatPgjdbcReports() throws SQLException {
    try (Connection connection = proxy.connect(); Statement statement = connection.createStatement()) {
      statement.execute("SET application_name = 'x'");
      assertReadsOnBothReplicas(connection, "SELECT inet_server_port(), current_setting('application_name')", "x");
      List<String> shown = new ArrayList<>();
      for (int i = 0; i < READS; i++) {
        shown.add(Sql.scalar(connection, "SHOW application_name"));
      }
      assertThat(shown).containsOnly("x");
      assertThat(connection.getClientInfo("ApplicationName")).as("pgjdbc's view, from ParameterStatus")
          .isEqualTo("x");

      connection.setClientInfo("ApplicationName", "y"); // pgjdbc sends SET application_name
      assertReadsOnBothReplicas(connection, "SELECT inet_server_port(), current_setting('application_name')", "y");
      assertThat(connection.getClientInfo("ApplicationName")).isEqualTo("y");
    }
  }

  private static void assertReadsOnBothReplicas(Connection connection, String sql, String expected)
      throws SQLException {
    assertThat(readsOnBothReplicas(connection, sql)).extracting(Served::value).as(sql).containsOnly(expected);
  }

  /** {@value #READS} reads in a row, each asserted to have been served by a replica, covering both replicas. */
  private static List<Served> readsOnBothReplicas(Connection connection, String sql) throws SQLException {
    List<Served> reads = new ArrayList<>();
    for (int i = 0; i < READS; i++) {
      reads.add(cluster.ask(connection, sql));
    }
    assertThat(reads).extracting(Served::node).as("nodes that served %s", sql)
        .containsOnly(cluster.replicaNames().toArray(String[]::new))
        .contains(cluster.replicaNames().toArray(String[]::new));
    return reads;
  }
}
