package io.pgsplit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.cluster.PgCluster;
import io.pgsplit.cluster.PgNode;
import io.pgsplit.proxy.PgSplitServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A real primary with two streaming replicas and one pgsplit in front of them (SCRAM client auth), shared by every
 * test class of the module through {@link ClusterExtension}. Tests must leave the servers running.
 */
final class ProxiedCluster implements AutoCloseable {
  static final String DATABASE = PgCluster.APP_DATABASE;
  /** Bounds every pgjdbc wait, so a proxy that stops answering fails a test instead of hanging the run. */
  private static final List<String> TIMEOUTS = List.of("connectTimeout=5", "loginTimeout=10", "socketTimeout=30");

  private final PgCluster cluster;
  private final PgSplitServer proxy;
  private final StatementStats statementStats;

  private ProxiedCluster(PgCluster cluster, PgSplitServer proxy) {
    this.cluster = cluster;
    this.proxy = proxy;
    this.statementStats = new StatementStats(cluster.nodes(), cluster.replicas());
  }

  static ProxiedCluster start() {
    PgCluster cluster = TestClusters.start(Path.of("target", "pg-logs"));
    try {
      return new ProxiedCluster(cluster, startProxy(ProxyYaml.forCluster(cluster)));
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** Another proxy on the same cluster, for settings the shared one does not have; the caller closes it. */
  static PgSplitServer startProxy(ProxyYaml yaml) {
    try {
      return PgSplitServer.start(yaml.config());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while starting pgsplit", e);
    }
  }

  PgCluster cluster() {
    return cluster;
  }

  PgSplitServer proxy() {
    return proxy;
  }

  PgNode primary() {
    return cluster.primary();
  }

  List<PgNode> replicas() {
    return cluster.replicas();
  }

  List<String> replicaNames() {
    return replicas().stream().map(PgNode::name).toList();
  }

  StatementStats statementStats() {
    return statementStats;
  }

  InetSocketAddress proxyAddress() {
    return proxy.listenAddress();
  }

  /** A pgjdbc URL for the shared proxy; {@code parameters} are {@code name=value} pairs. */
  String proxyJdbcUrl(String... parameters) {
    return jdbcUrl(proxy.listenAddress(), parameters);
  }

  /** A pgjdbc URL for database "app" at {@code address}. */
  static String jdbcUrl(InetSocketAddress address, String... parameters) {
    return jdbcUrl(address, DATABASE, Arrays.asList(parameters));
  }

  static String jdbcUrl(InetSocketAddress address, String database, List<String> parameters) {
    List<String> all = new ArrayList<>(TIMEOUTS);
    all.addAll(parameters);
    return "jdbc:postgresql://" + address.getHostString() + ":" + address.getPort() + "/" + database + "?"
        + String.join("&", all);
  }

  /** The app user, through the shared proxy. */
  Connection connect(String... parameters) throws SQLException {
    return DriverManager.getConnection(proxyJdbcUrl(parameters), cluster.appUser(), cluster.appPassword());
  }

  Connection connect(JdbcMode mode) throws SQLException {
    return connect(mode.parameters().toArray(String[]::new));
  }

  /** The app user, straight to a node, bypassing the proxy. */
  Connection connectDirectly(PgNode node) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(new InetSocketAddress(node.host(), node.port())),
        cluster.appUser(), cluster.appPassword());
  }

  /** Runs statements on the primary directly as the app user, then waits until both replicas have replayed them. */
  void setUpOnPrimary(String... statements) throws SQLException {
    try (Connection connection = connectDirectly(primary()); Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
    Replication.awaitReplicasCaughtUp(cluster);
  }

  /**
   * The node that served {@code SELECT inet_server_port(), pg_is_in_recovery()} on this connection; asserts that
   * the node's recovery state matches its role, so the answer cannot come from a mix-up of ports.
   */
  String where(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT inet_server_port(), pg_is_in_recovery()")) {
      assertThat(row.next()).isTrue();
      PgNode node = nodeListeningOn(row.getInt(1));
      assertThat(row.getBoolean(2)).as("pg_is_in_recovery() on %s", node.name())
          .isEqualTo(node != primary());
      return node.name();
    }
  }

  PgNode nodeListeningOn(int port) {
    return cluster.nodeListeningOn(port);
  }

  /** The proxy first, so it never probes servers that are shutting down. */
  @Override
  public void close() {
    try {
      proxy.close();
    } finally {
      cluster.close();
    }
  }
}
