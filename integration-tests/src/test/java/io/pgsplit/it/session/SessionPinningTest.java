package io.pgsplit.it.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pgsplit.it.Sql;
import io.pgsplit.it.session.SessionCluster.Served;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * State that cannot be replayed on another server — temporary tables, LISTEN, session-level advisory locks, cursors
 * WITH HOLD — pins the session to the primary: it works there, every later read of the session goes there too
 * (counted with reason "pinned"), and once the state provably ends, reads go back to the replicas.
 */
@ExtendWith(SessionClusterExtension.class)
@Timeout(60)
class SessionPinningTest {
  /** Reads twice per replica, so a read that should have gone to the other replica shows. */
  private static final int READS = 4;
  private static final int NOTIFICATION_WAIT_MILLIS = 5000;

  private static SessionCluster cluster;
  private static TestProxy proxy;

  @BeforeAll
  static void startProxy(SessionCluster shared) {
    cluster = shared;
    proxy = cluster.startProxy();
  }

  @AfterAll
  static void stopProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void temporaryTableWorksOnThePrimaryAndPinsTheSessionUntilDiscardTemp() throws SQLException {
    double pinsBefore = proxy.pins("temp_table");
    try (Connection connection = proxy.connect(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE TEMP TABLE scratch (n int)");
      statement.execute("INSERT INTO scratch VALUES (1), (2)");
      assertThat(cluster.ask(connection, "SELECT inet_server_port(), count(*) FROM scratch"))
          .isEqualTo(new Served(cluster.primary().name(), false, List.of("2")));
      assertThat(proxy.pins("temp_table")).isEqualTo(pinsBefore + 1);
      assertPinnedReads(connection);

      statement.execute("DISCARD TEMP");
      assertReadsOnBothReplicas(connection);
    }
  }

  @Test
  void listenerReceivesNotificationsThroughTheProxyAndIsPinnedUntilUnlistenAll() throws SQLException {
    double pinsBefore = proxy.pins("listen");
    try (Connection listener = proxy.connect(); Connection notifier = proxy.connect();
        Statement listening = listener.createStatement(); Statement notifying = notifier.createStatement()) {
      listening.execute("LISTEN session_channel");
      assertThat(proxy.pins("listen")).isEqualTo(pinsBefore + 1);

      notifying.execute("NOTIFY session_channel, 'hello'");
      assertThat(notificationsOf(listener, NOTIFICATION_WAIT_MILLIS))
          .containsExactly(tuple("session_channel", "hello"));
      notifying.execute("SELECT pg_notify('session_channel', 'again')");
      assertThat(notificationsOf(listener, NOTIFICATION_WAIT_MILLIS))
          .containsExactly(tuple("session_channel", "again"));
      assertPinnedReads(listener);
      assertReadsOnBothReplicas(notifier); // notifying pins nothing

      listening.execute("UNLISTEN *");
      assertReadsOnBothReplicas(listener);
      notifying.execute("NOTIFY session_channel, 'unheard'");
      assertThat(notificationsOf(listener, 500)).isEmpty();
    }
  }

  @Test
  void sessionAdvisoryLockPinsTheSessionUntilUnlockAll() throws SQLException {
    double pinsBefore = proxy.pins("advisory_lock");
    try (Connection connection = proxy.connect(); Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_advisory_lock(42)");
      assertThat(proxy.pins("advisory_lock")).isEqualTo(pinsBefore + 1);
      assertThat(advisoryLocksHeldOnPrimary(42)).isEqualTo("1");
      assertPinnedReads(connection);

      statement.execute("SELECT pg_advisory_unlock_all()");
      assertThat(advisoryLocksHeldOnPrimary(42)).isEqualTo("0");
      assertReadsOnBothReplicas(connection);
    }
  }

  @Test
  void transactionLevelAdvisoryLockDoesNotPinTheSession() throws SQLException {
    double pinsBefore = proxy.pins("advisory_lock");
    try (Connection connection = proxy.connect(); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      statement.execute("SELECT pg_advisory_xact_lock(43)");
      connection.commit();
      connection.setAutoCommit(true);

      assertThat(proxy.pins("advisory_lock")).isEqualTo(pinsBefore);
      assertReadsOnBothReplicas(connection);
    }
  }

  @Test
  void cursorWithHoldOutlivesItsTransactionOnThePrimaryAndClosingItUnpins() throws SQLException {
    double pinsBefore = proxy.pins("cursor_with_hold");
    try (Connection connection = proxy.connect(); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      statement.execute("DECLARE held CURSOR WITH HOLD FOR"
          + " SELECT inet_server_port(), g FROM generate_series(1, 10) g");
      connection.commit();
      connection.setAutoCommit(true);
      assertThat(proxy.pins("cursor_with_hold")).isEqualTo(pinsBefore + 1);

      assertThat(fetch(connection, "FETCH 2 FROM held")).containsExactly("1", "2");
      assertThat(fetch(connection, "FETCH 2 FROM held")).containsExactly("3", "4");
      assertPinnedReads(connection);

      statement.execute("CLOSE held");
      assertReadsOnBothReplicas(connection);
    }
  }

  /** {@value #READS} plain reads all run on the primary, each counted as routed there for reason "pinned". */
  private static void assertPinnedReads(Connection connection) throws SQLException {
    long pinnedBefore = proxy.routed("primary", "pinned");
    assertThat(readsServedBy(connection)).containsOnly(cluster.primary().name());
    assertThat(proxy.routed("primary", "pinned") - pinnedBefore).as("reads routed with reason pinned")
        .isEqualTo(READS);
  }

  private static void assertReadsOnBothReplicas(Connection connection) throws SQLException {
    assertThat(readsServedBy(connection)).containsOnly(cluster.replicaNames().toArray(String[]::new))
        .contains(cluster.replicaNames().toArray(String[]::new));
  }

  private static List<String> readsServedBy(Connection connection) throws SQLException {
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < READS; i++) {
      nodes.add(cluster.where(connection));
    }
    return nodes;
  }

  /** (channel, payload) of every notification that arrives within {@code millis}. */
  private static List<Tuple> notificationsOf(Connection listener, int millis)
      throws SQLException {
    PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications(millis);
    List<Tuple> received = new ArrayList<>();
    for (PGNotification notification : notifications == null ? new PGNotification[0] : notifications) {
      received.add(tuple(notification.getName(), notification.getParameter()));
    }
    return received;
  }

  /** Fetches from a cursor, asserting the primary served every row; returns the second column. */
  private static List<String> fetch(Connection connection, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        assertThat(cluster.nodeListeningOn(rows.getInt(1))).isEqualTo(cluster.primary());
        values.add(rows.getString(2));
      }
    }
    return values;
  }

  private static String advisoryLocksHeldOnPrimary(int key) throws SQLException {
    return Sql.superuserScalar(cluster.primary(),
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = " + key + " AND granted");
  }
}
