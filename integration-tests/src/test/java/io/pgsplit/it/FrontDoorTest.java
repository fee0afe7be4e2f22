package io.pgsplit.it;

import static io.pgsplit.it.SqlAssertions.assertFailsWithSqlState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsplit.proxy.PgSplitServer;
import java.io.IOException;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The front door on the real cluster, with psql and pgjdbc: silent connections cannot lock real clients out, a
 * client that does not log in is closed at login_timeout, a full proxy answers 53300 before any authentication,
 * the reserved slots let an admin user in, and client_idle_timeout closes idle sessions only.
 */
@ExtendWith(ClusterExtension.class)
@Timeout(120)
class FrontDoorTest {
  private static final String ADMIN = "pgsplit_ops";
  private static final String ADMIN_PASSWORD = "ops-secret";
  private static ProxiedCluster cluster;

  @BeforeAll
  static void setUp(ProxiedCluster shared) throws SQLException {
    cluster = shared;
    Sql.superuserExecute(cluster.primary(),
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + ADMIN + "') THEN CREATE ROLE " + ADMIN
            + " LOGIN PASSWORD '" + ADMIN_PASSWORD + "'; END IF; END $$");
    Replication.awaitReplicasCaughtUp(cluster.cluster());
  }

  private static ProxyYaml yaml() {
    return ProxyYaml.forCluster(cluster.cluster());
  }

  private static Connection connect(PgSplitServer proxy, String user, String password) throws SQLException {
    return DriverManager.getConnection(ProxiedCluster.jdbcUrl(proxy.listenAddress()), user, password);
  }

  private static Connection connectAsApp(PgSplitServer proxy) throws SQLException {
    return connect(proxy, cluster.cluster().appUser(), cluster.cluster().appPassword());
  }

  private static void closeAll(List<? extends AutoCloseable> all) throws Exception {
    for (AutoCloseable one : all) {
      one.close();
    }
  }

  @Test
  void aThousandSilentConnectionsDoNotLockOutPsqlOrPgjdbc() throws Exception {
    try (PgSplitServer proxy = ProxiedCluster.startProxy(yaml())) {
      List<Socket> silent = new ArrayList<>();
      try {
        for (int i = 0; i < 1000; i++) {
          Socket socket = new Socket();
          silent.add(socket);
          socket.connect(proxy.listenAddress(), 5_000);
        }
        // The oldest silent ones made room for newer ones: at most max_pending_logins (100) are still held.
        await("silent connections beyond max_pending_logins closed").atMost(Duration.ofSeconds(20))
            .until(() -> proxy.metrics().clientRefusals("max_pending_logins") >= 900);
        assertThat(proxy.context().frontDoor().pendingLogins()).isLessThanOrEqualTo(100);

        new Psql(proxy.listenAddress(), cluster.cluster().appUser(), cluster.cluster().appPassword())
            .commands("SELECT 1").requireSuccess();
        try (Connection jdbc = connectAsApp(proxy)) {
          assertThat(Sql.scalar(jdbc, "SELECT 42")).isEqualTo("42");
        }
      } finally {
        closeAll(silent);
      }
    }
  }

  @Test
  void aClientThatDoesNotLogInIsClosedAtLoginTimeout() throws IOException {
    try (PgSplitServer proxy = ProxiedCluster.startProxy(yaml().limit("login_timeout", "1s"))) {
      try (WireClient silent = WireClient.connect(proxy.listenAddress());
          WireClient stalled = WireClient.connect(proxy.listenAddress())) {
        stalled.sendStartup(3, 0, cluster.cluster().appUser(), ProxiedCluster.DATABASE);
        assertThat(stalled.readMessage().type()).as("authentication request").isEqualTo('R');

        assertFatalThenClose(silent, "57P03");
        assertFatalThenClose(stalled, "57P03");
      }
      assertThat(proxy.metrics().clientRefusals("login_timeout")).isEqualTo(2);
    }
  }

  @Test
  void aFullProxyAnswers53300BeforeAnyAuthentication() throws Exception {
    try (PgSplitServer proxy = ProxiedCluster.startProxy(yaml().limit("max_client_connections", "2"))) {
      List<Connection> held = List.of(connectAsApp(proxy), connectAsApp(proxy));
      try {
        try (WireClient client = WireClient.connect(proxy.listenAddress())) {
          client.sendStartup(3, 0, cluster.cluster().appUser(), ProxiedCluster.DATABASE);
          BackendMessage first = client.readMessage();
          assertThat(first.type()).as("the answer to the startup packet, before any authentication request: %s", first)
              .isEqualTo('E');
          assertThat(first.sqlState()).isEqualTo("53300");
          assertThat(client.isClosedByPeer()).isTrue();
        }
        assertFailsWithSqlState("53300", () -> connectAsApp(proxy).close());
        ExternalCommand.Result psql = new Psql(proxy.listenAddress(), cluster.cluster().appUser(), "wrong password")
            .commands("SELECT 1");
        assertThat(psql.exitCode()).isNotZero();
        assertThat(psql.stderr()).as("refused as full, not for the wrong password").contains("sorry, too many clients already");
      } finally {
        closeAll(held);
      }
      await("slots given back").atMost(Duration.ofSeconds(5)).until(() -> proxy.context().frontDoor().clients() == 0);
      try (Connection again = connectAsApp(proxy)) {
        assertThat(Sql.scalar(again, "SELECT 1")).isEqualTo("1");
      }
    }
  }

  @Test
  void theReservedSlotLetsTheAdminInWhenUsersFilledTheRest() throws Exception {
    ProxyYaml config = yaml().user(ADMIN, ADMIN_PASSWORD, true)
        .limit("max_client_connections", "3").limit("reserved_connections", "1");
    try (PgSplitServer proxy = ProxiedCluster.startProxy(config)) {
      List<Connection> held = new ArrayList<>(List.of(connectAsApp(proxy), connectAsApp(proxy)));
      try {
        SQLException refused = assertFailsWithSqlState("53300", () -> connectAsApp(proxy).close());
        assertThat(refused.getMessage()).contains("reserved for admin users");

        Connection admin = connect(proxy, ADMIN, ADMIN_PASSWORD);
        held.add(admin);
        assertThat(Sql.scalar(admin, "SELECT current_user")).isEqualTo(ADMIN);
        ExternalCommand.Result psql = new Psql(proxy.listenAddress(), ADMIN, ADMIN_PASSWORD).commands("SELECT 1");
        assertThat(psql.stderr()).as("every slot is taken now, the reserve too").contains("sorry, too many clients already");
      } finally {
        closeAll(held);
      }
      assertThat(proxy.metrics().clientRefusals("reserved_connections")).isEqualTo(1);
    }
  }

  @Test
  void clientIdleTimeoutClosesAnIdleSessionButNotOneInATransaction() throws Exception {
    try (PgSplitServer proxy = ProxiedCluster.startProxy(yaml().limit("client_idle_timeout", "1s"))) {
      try (Connection inTransaction = connectAsApp(proxy); Connection idle = connectAsApp(proxy)) {
        inTransaction.setAutoCommit(false);
        Sql.scalar(inTransaction, "SELECT 1");
        Sql.scalar(idle, "SELECT 1");

        await("the idle session closed").atMost(Duration.ofSeconds(10))
            .until(() -> proxy.metrics().clientRefusals("client_idle_timeout") >= 1);

        assertThat(idle.isValid(2)).as("the idle session").isFalse();
        assertThat(Sql.scalar(inTransaction, "SELECT 2")).as("idle in a transaction is not idle").isEqualTo("2");
        inTransaction.commit();
        assertThat(proxy.metrics().clientRefusals("client_idle_timeout")).isEqualTo(1);
      }
    }
  }

  private static void assertFatalThenClose(WireClient client, String sqlState) throws IOException {
    BackendMessage error = client.readMessage();
    assertThat(error.type()).as("answer: %s", error).isEqualTo('E');
    assertThat(error.sqlState()).isEqualTo(sqlState);
    assertThat(client.isClosedByPeer()).isTrue();
  }
}
