package io.pgsplit.it;

import static io.pgsplit.it.SqlAssertions.assertFailsWithSqlState;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.proxy.PgSplitServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Client authentication by the proxy itself, with each method it offers, and the server's verdict on a database. */
@ExtendWith(ClusterExtension.class)
@Timeout(60)
class AuthenticationTest {
  private static ProxiedCluster cluster;

  @BeforeAll
  static void setUp(ProxiedCluster shared) {
    cluster = shared;
  }

  @Test
  void wrongPasswordIsRefusedWith28P01() {
    assertFailsWithSqlState("28P01", () -> DriverManager.getConnection(cluster.proxyJdbcUrl(), "app", "wrong").close());
  }

  @Test
  void unknownUserIsRefusedWith28P01LikeAWrongPassword() {
    assertFailsWithSqlState("28P01",
        () -> DriverManager.getConnection(cluster.proxyJdbcUrl(), "nobody", "app").close());
  }

  @Test
  void unknownDatabaseReportsTheServers3D000() {
    String url = ProxiedCluster.jdbcUrl(cluster.proxyAddress(), "no_such_database", List.of());
    assertFailsWithSqlState("3D000", () -> DriverManager.getConnection(url, "app", "app").close());
  }

  @ParameterizedTest
  @ValueSource(strings = {"md5", "plain"})
  void clientAuthenticationWorksWithEveryConfiguredMethod(String authType) throws SQLException {
    try (PgSplitServer proxy = ProxiedCluster.startProxy(ProxyYaml.forCluster(cluster.cluster()).authType(authType))) {
      String url = ProxiedCluster.jdbcUrl(proxy.listenAddress());
      try (Connection connection = DriverManager.getConnection(url, "app", "app")) {
        assertThat(cluster.where(connection)).isIn(cluster.replicaNames());
      }
      assertFailsWithSqlState("28P01", () -> DriverManager.getConnection(url, "app", "wrong").close());
    }
  }
}
