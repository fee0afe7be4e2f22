package io.pgsplit.it.session;

import io.pgsplit.cluster.PgNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The server processes on one node that serve the app user in database "app": with no direct client open, these are
 * pgsplit's connections for its clients (its health probes log in to database "postgres").
 */
final class ProxyBackends {
  private static final String BACKENDS = "SELECT pid, coalesce(state, '') FROM pg_stat_activity"
      + " WHERE datname = ? AND usename = ? AND backend_type = 'client backend'"
      + " AND application_name NOT LIKE 'pgsplit-%' ORDER BY pid"; // not the routing catalog's reads

  /** One server process and what pg_stat_activity says it is doing ({@code idle}, {@code idle in transaction}, …). */
  record Backend(int pid, String state) {}

  private ProxyBackends() {}

  static List<Backend> on(PgNode node, String appUser) throws SQLException {
    List<Backend> backends = new ArrayList<>();
    try (Connection connection = node.connectAsSuperuser();
        PreparedStatement statement = connection.prepareStatement(BACKENDS)) {
      statement.setString(1, SessionCluster.DATABASE);
      statement.setString(2, appUser);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          backends.add(new Backend(rows.getInt(1), rows.getString(2)));
        }
      }
    }
    return backends;
  }
}
