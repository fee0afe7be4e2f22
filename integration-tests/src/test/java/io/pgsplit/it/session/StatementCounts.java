package io.pgsplit.it.session;

import io.pgsplit.cluster.PgNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * pg_stat_statements of each node, read directly as superuser: the servers' own record of where statements ran,
 * whatever the proxy believes it sent. Only top-level statements of database "app" that completed are counted.
 */
final class StatementCounts {
  private static final String CALLS = "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements"
      + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND toplevel"
      + " AND query ILIKE ?";

  private final SessionCluster cluster;

  StatementCounts(SessionCluster cluster) {
    this.cluster = cluster;
  }

  /** Forgets what every node recorded so far. */
  void reset() throws SQLException {
    for (PgNode node : cluster.nodes()) {
      try (Connection connection = node.connectAsSuperuser(SessionCluster.DATABASE);
          Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_stat_statements_reset()");
      }
    }
  }

  /** Executions per node name, in node order, of statements whose normalised text matches the ILIKE pattern. */
  Map<String, Long> byNode(String queryPattern) throws SQLException {
    Map<String, Long> calls = new LinkedHashMap<>();
    for (PgNode node : cluster.nodes()) {
      calls.put(node.name(), on(node, queryPattern));
    }
    return calls;
  }

  long on(PgNode node, String queryPattern) throws SQLException {
    try (Connection connection = node.connectAsSuperuser(SessionCluster.DATABASE);
        PreparedStatement statement = connection.prepareStatement(CALLS)) {
      statement.setString(1, queryPattern);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  long onReplicas(String queryPattern) throws SQLException {
    long sum = 0;
    for (PgNode replica : cluster.replicas()) {
      sum += on(replica, queryPattern);
    }
    return sum;
  }
}
