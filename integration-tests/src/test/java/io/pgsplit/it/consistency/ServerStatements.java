package io.pgsplit.it.consistency;

import io.pgsplit.cluster.PgNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * pg_stat_statements of one node, read as superuser: the statements of database "app" the server itself ran,
 * whatever the proxy believes it sent there.
 */
final class ServerStatements {
  private static final String MATCHING = "SELECT coalesce(string_agg(query, ' | '), '') FROM pg_stat_statements"
      + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query ILIKE ?";

  private ServerStatements() {}

  static void reset(PgNode node) throws SQLException {
    try (Connection connection = node.connectAsSuperuser(ConsistencyCluster.DATABASE);
        Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_stat_statements_reset()");
    }
  }

  /** The texts of the statements {@code node} ran that match the ILIKE pattern, joined by " | ", or "". */
  static String matching(PgNode node, String queryPattern) throws SQLException {
    try (Connection connection = node.connectAsSuperuser(ConsistencyCluster.DATABASE);
        PreparedStatement statement = connection.prepareStatement(MATCHING)) {
      statement.setString(1, queryPattern);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getString(1);
      }
    }
  }
}
