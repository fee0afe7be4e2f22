package io.pgsplit.it.operations;

import io.pgsplit.cluster.LocalPgCluster;
import io.pgsplit.cluster.PgNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * pg_stat_statements of one node, read as superuser: the server's own count of the top-level statements of database
 * "app" it completed, whatever the proxy believes it sent there.
 */
final class StatementCalls {
  private static final String CALLS = "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements"
      + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND toplevel"
      + " AND query ILIKE ?";

  private StatementCalls() {}

  static void reset(PgNode... nodes) throws SQLException {
    for (PgNode node : nodes) {
      try (Connection connection = node.connectAsSuperuser(LocalPgCluster.APP_DATABASE);
          Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_stat_statements_reset()");
      }
    }
  }

  /** Executions on {@code node} of statements whose normalised text matches the ILIKE pattern. */
  static long on(PgNode node, String queryPattern) throws SQLException {
    try (Connection connection = node.connectAsSuperuser(LocalPgCluster.APP_DATABASE);
        PreparedStatement statement = connection.prepareStatement(CALLS)) {
      statement.setString(1, queryPattern);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }
}
