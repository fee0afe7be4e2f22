package io.pgsplit.it;

import io.pgsplit.cluster.PgCluster;
import io.pgsplit.cluster.PgNode;
import io.pgsplit.health.MonitorConnections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * pg_stat_statements of the nodes, read directly as superuser: the servers' own record of where statements ran,
 * whatever the proxy believes it sent. Only statements of database "app" that completed are counted (PostgreSQL
 * records no failed statement), top-level ones only, so a statement nested in EXPLAIN ANALYZE or a function is not
 * counted twice. Shared by every test package, so that all of them count the same way.
 */
public final class StatementStats {
  private static final String CALLS = "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements"
      + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND toplevel"
      + " AND query ILIKE ?";
  /** pgsplit's own monitoring statements (the catalog reads) log in as a client's user too, but are marked. */
  private static final String CLIENT_CALLS = "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements"
      + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
      + " AND userid = (SELECT oid FROM pg_roles WHERE rolname = ?) AND query NOT LIKE ?";
  private static final String MATCHING = "SELECT coalesce(string_agg(query, ' | '), '') FROM pg_stat_statements"
      + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query ILIKE ?";

  private final List<PgNode> nodes;
  private final List<PgNode> replicas;

  /** @param nodes every node, in the order results are reported; {@code replicas} those of them that are replicas */
  public StatementStats(List<PgNode> nodes, List<PgNode> replicas) {
    this.nodes = List.copyOf(nodes);
    this.replicas = List.copyOf(replicas);
  }

  /** Forgets what every node recorded so far. */
  public void reset() throws SQLException {
    resetOn(nodes.toArray(PgNode[]::new));
  }

  /** Executions per node name, in node order, of statements whose normalised text matches the ILIKE pattern. */
  public Map<String, Long> callsByNode(String queryPattern) throws SQLException {
    Map<String, Long> calls = new LinkedHashMap<>();
    for (PgNode node : nodes) {
      calls.put(node.name(), calls(node, queryPattern));
    }
    return calls;
  }

  /** Executions on the replicas together. */
  public long callsOnReplicas(String queryPattern) throws SQLException {
    long sum = 0;
    for (PgNode replica : replicas) {
      sum += calls(replica, queryPattern);
    }
    return sum;
  }

  /** Forgets what these nodes recorded so far. */
  public static void resetOn(PgNode... servers) throws SQLException {
    for (PgNode node : servers) {
      try (Connection connection = node.connectAsSuperuser(PgCluster.APP_DATABASE);
          Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_stat_statements_reset()");
      }
    }
  }

  /** Executions on {@code node} of statements whose normalised text matches the ILIKE pattern. */
  public static long calls(PgNode node, String queryPattern) throws SQLException {
    try (Connection connection = node.connectAsSuperuser(PgCluster.APP_DATABASE);
        PreparedStatement statement = connection.prepareStatement(CALLS)) {
      statement.setString(1, queryPattern);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  /** Executions on {@code node} of every statement {@code user} ran, pgsplit's own monitoring statements left out. */
  public static long clientCalls(PgNode node, String user) throws SQLException {
    try (Connection connection = node.connectAsSuperuser(PgCluster.APP_DATABASE);
        PreparedStatement statement = connection.prepareStatement(CLIENT_CALLS)) {
      statement.setString(1, user);
      statement.setString(2, MonitorConnections.MARKER.strip() + "%");
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  /**
   * The texts of every statement {@code node} ran (nested ones too) that match the ILIKE pattern, joined by
   * " | ", or "": for proving that something never reached a server at all.
   */
  public static String matching(PgNode node, String queryPattern) throws SQLException {
    try (Connection connection = node.connectAsSuperuser(PgCluster.APP_DATABASE);
        PreparedStatement statement = connection.prepareStatement(MATCHING)) {
      statement.setString(1, queryPattern);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getString(1);
      }
    }
  }
}
