package io.pgsplit.it.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.cluster.PgCluster;
import io.pgsplit.cluster.PgNode;
import io.pgsplit.it.Replication;
import io.pgsplit.it.TestClusters;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A primary (pg1) and two streaming replicas (pg2, pg3) shared by the session tests through
 * {@link SessionClusterExtension}; each test class starts the pgsplit it needs in front of it ({@link TestProxy}).
 * Tests create their own tables and leave the servers running.
 */
final class SessionCluster implements AutoCloseable {
  static final String DATABASE = PgCluster.APP_DATABASE;
  private static final String DIRECT_TIMEOUTS = "?connectTimeout=5&loginTimeout=10&socketTimeout=30";

  private final PgCluster pg;

  private SessionCluster(PgCluster pg) {
    this.pg = pg;
  }

  /** Server logs are kept in target/pg-logs/session after the run, for post-mortems. */
  static SessionCluster start() {
    return new SessionCluster(TestClusters.start(Path.of("target", "pg-logs", "session")));
  }

  PgNode primary() {
    return pg.primary();
  }

  List<PgNode> replicas() {
    return pg.replicas();
  }

  List<PgNode> nodes() {
    return pg.nodes();
  }

  List<String> replicaNames() {
    return replicas().stream().map(PgNode::name).toList();
  }

  String appUser() {
    return pg.appUser();
  }

  String appPassword() {
    return pg.appPassword();
  }

  /** A pgsplit in front of every node; the caller closes it. */
  TestProxy startProxy() {
    return proxyConfig().start();
  }

  /** The configuration of a pgsplit in front of every node, to adjust before starting it. */
  TestProxy.Config proxyConfig() {
    return new TestProxy.Config(this, nodes());
  }

  /** The app user, straight to a node, bypassing any proxy. */
  Connection connectDirectly(PgNode node) throws SQLException {
    return DriverManager.getConnection(node.jdbcUrl(DATABASE) + DIRECT_TIMEOUTS, appUser(), appPassword());
  }

  /** Runs statements on the primary directly as the app user, then waits until both replicas have replayed them. */
  void setUpOnPrimary(String... statements) throws SQLException {
    try (Connection connection = connectDirectly(primary()); Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
    awaitReplicasCaughtUp();
  }

  /** Returns once every replica has replayed the primary's WAL up to its position at the time of the call. */
  void awaitReplicasCaughtUp() throws SQLException {
    Replication.awaitReplicasCaughtUp(primary(), replicas());
  }

  PgNode nodeListeningOn(int port) {
    return pg.nodeListeningOn(port);
  }

  /**
   * Runs {@code sql}, whose first column must be {@code inet_server_port()}, and names the node that answered; the
   * other columns of the first row come back as text.
   */
  Served ask(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
      return servedRow(row, sql);
    }
  }

  /** As {@link #ask}, for a prepared statement whose parameters are set. */
  Served ask(PreparedStatement statement) throws SQLException {
    try (ResultSet row = statement.executeQuery()) {
      return servedRow(row, statement.toString());
    }
  }

  private Served servedRow(ResultSet row, String sql) throws SQLException {
    assertThat(row.next()).as("a row from: %s", sql).isTrue();
    PgNode node = nodeListeningOn(row.getInt(1));
    int columns = row.getMetaData().getColumnCount();
    String[] values = new String[columns - 1];
    for (int i = 2; i <= columns; i++) {
      values[i - 2] = row.getString(i);
    }
    return new Served(node.name(), node != primary(), Collections.unmodifiableList(Arrays.asList(values)));
  }

  /** The name of the node that answered {@code SELECT inet_server_port()} on this connection. */
  String where(Connection connection) throws SQLException {
    return ask(connection, "SELECT inet_server_port()").node();
  }

  /** The node that answered a statement, whether it is a replica, and the rest of the first row (SQL NULL as null). */
  record Served(String node, boolean onReplica, List<String> values) {
    String value() {
      return values.get(0);
    }
  }

  @Override
  public void close() {
    pg.close();
  }
}
