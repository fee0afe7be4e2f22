package io.pgsplit.it.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.cluster.PgCluster;
import io.pgsplit.cluster.PgNode;
import io.pgsplit.it.Replication;
import io.pgsplit.it.TestClusters;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A primary (pg1) and two streaming replicas (pg2, pg3) for one test class, which points pgsplit at changing subsets
 * of them. Clients connect with application_name {@value #CLIENT_APPLICATION}, which pgsplit passes on to the
 * servers, so a server's pg_stat_activity tells the proxy's session connections from its health probes.
 */
final class OperationsCluster implements AutoCloseable {
  static final String CLIENT_APPLICATION = "pgsplit-operations-it";
  /**
   * Time-outs bound every pgjdbc wait, so a proxy that stops answering fails a test instead of hanging the run.
   * pgjdbc sends the application name in the startup packet (which pgsplit passes on to every server) only when it
   * may assume PostgreSQL 9.0 or later; otherwise it SETs it afterwards, on the primary alone.
   */
  private static final String CLIENT_PARAMETERS = "connectTimeout=5&loginTimeout=10&socketTimeout=30"
      + "&assumeMinServerVersion=10&ApplicationName=" + CLIENT_APPLICATION;
  private static final String SESSIONS_FROM_CLIENTS =
      "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?";

  private final PgCluster cluster;

  private OperationsCluster(PgCluster cluster) {
    this.cluster = cluster;
  }

  /** Server logs are kept in {@code target/pg-logs/<owner>} after the cluster is gone. */
  static OperationsCluster start(Class<?> owner) {
    return new OperationsCluster(TestClusters.start(Path.of("target", "pg-logs", owner.getSimpleName())));
  }

  PgNode primary() {
    return cluster.primary();
  }

  PgNode firstReplica() {
    return cluster.replicas().get(0);
  }

  PgNode secondReplica() {
    return cluster.replicas().get(1);
  }

  String appUser() {
    return cluster.appUser();
  }

  String appPassword() {
    return cluster.appPassword();
  }

  /** The configuration of a pgsplit in front of {@code servers} only. */
  ProxyConfigYaml proxyConfig(PgNode... servers) {
    return new ProxyConfigYaml(List.of(servers), cluster.appUser(), cluster.appPassword());
  }

  /** The app user through a pgsplit listening at {@code proxy}. */
  Connection connectThrough(InetSocketAddress proxy) throws SQLException {
    return connect(proxy.getHostString(), proxy.getPort());
  }

  /** The app user straight to a node, bypassing any proxy. */
  Connection connectDirectly(PgNode node) throws SQLException {
    return connect(node.host(), node.port());
  }

  private Connection connect(String host, int port) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + PgCluster.APP_DATABASE
        + "?" + CLIENT_PARAMETERS, cluster.appUser(), cluster.appPassword());
  }

  /** The name of the node that answered {@code SELECT inet_server_port()} on this connection. */
  String servedBy(Connection connection) throws SQLException {
    return servedBy(connection, "SELECT inet_server_port()");
  }

  /** The name of the node that ran {@code sql}, a statement whose first result column is inet_server_port(). */
  String servedBy(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
      assertThat(row.next()).as("a row from: %s", sql).isTrue();
      int port = row.getInt(1);
      return cluster.nodes().stream().filter(node -> node.port() == port).map(PgNode::name).findFirst()
          .orElseThrow(() -> new AssertionError("No node of the cluster listens on port " + port));
    }
  }

  /** The nodes that served {@code count} reads in a row on this connection. */
  List<String> readsServedBy(Connection connection, int count) throws SQLException {
    List<String> nodes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      nodes.add(servedBy(connection));
    }
    return nodes;
  }

  /** Server connections on {@code node} that carry a client session of these tests (not health probes). */
  long clientSessionsOn(PgNode node) throws SQLException {
    try (Connection connection = node.connectAsSuperuser();
        PreparedStatement statement = connection.prepareStatement(SESSIONS_FROM_CLIENTS)) {
      statement.setString(1, CLIENT_APPLICATION);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  /** Runs statements on the primary directly, then waits until both replicas have replayed them. */
  void setUpOnPrimary(String... statements) throws SQLException {
    try (Connection connection = connectDirectly(primary()); Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
    awaitReplicasCaughtUp();
  }

  void awaitReplicasCaughtUp() throws SQLException {
    Replication.awaitReplicasCaughtUp(primary(), cluster.replicas());
  }


  @Override
  public void close() {
    cluster.close();
  }
}
