package io.pgsplit.it;

import io.pgsplit.cluster.LocalPgCluster;
import io.pgsplit.cluster.PgNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * pg_stat_statements of each node, read directly as superuser: the servers' own record of where statements ran.
 * Only statements of database "app" that completed are counted (PostgreSQL records no failed statement), top-level
 * ones only, so a statement nested in EXPLAIN ANALYZE or a function is not counted twice.
 */
final class StatementStats {
  private static final String CALLS = "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements"
      + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND toplevel"
      + " AND query ILIKE ?";

  private final LocalPgCluster cluster;

  StatementStats(LocalPgCluster cluster) {
    this.cluster = cluster;
  }

  /** Forgets what every node recorded so far. */
  void reset() throws SQLException {
    for (PgNode node : cluster.nodes()) {
      try (Connection connection = node.connectAsSuperuser(ProxiedCluster.DATABASE);
          Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_stat_statements_reset()");
      }
    }
  }

  /** Executions per node name, in node order, of statements whose normalised text matches the ILIKE pattern. */
  Map<String, Long> callsByNode(String queryPattern) throws SQLException {
    Map<String, Long> calls = new LinkedHashMap<>();
    for (PgNode node : cluster.nodes()) {
      calls.put(node.name(), calls(node, queryPattern));
    }
    return calls;
  }

  long calls(PgNode node, String queryPattern) throws SQLException {
    try (Connection connection = node.connectAsSuperuser(ProxiedCluster.DATABASE);
        PreparedStatement statement = connection.prepareStatement(CALLS)) {
      statement.setString(1, queryPattern);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  /** Executions on the replicas together. */
  long callsOnReplicas(String queryPattern) throws SQLException {
    long sum = 0;
    for (PgNode replica : cluster.replicas()) {
      sum += calls(replica, queryPattern);
    }
    return sum;
  }
}
