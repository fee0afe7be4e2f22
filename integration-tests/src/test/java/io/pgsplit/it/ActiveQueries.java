package io.pgsplit.it;

import static org.awaitility.Awaitility.await;

import io.pgsplit.cluster.PgCluster;
import io.pgsplit.cluster.PgNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/** pg_stat_activity of every node: which server is executing a statement right now. */
final class ActiveQueries {
  private static final String ACTIVE = "SELECT count(*) FROM pg_stat_activity"
      + " WHERE state = 'active' AND query = ? AND pid <> pg_backend_pid()";

  private final PgCluster cluster;

  ActiveQueries(PgCluster cluster) {
    this.cluster = cluster;
  }

  /** Waits until some node is executing exactly {@code sql} and names it. */
  String awaitNodeRunning(String sql, Duration timeout) {
    return await("a server executing " + sql).atMost(timeout).pollInterval(Duration.ofMillis(20))
        .until(() -> nodeRunning(sql), Optional::isPresent).orElseThrow();
  }

  private Optional<String> nodeRunning(String sql) throws SQLException {
    for (PgNode node : cluster.nodes()) {
      try (Connection connection = node.connectAsSuperuser();
          PreparedStatement statement = connection.prepareStatement(ACTIVE)) {
        statement.setString(1, sql);
        try (ResultSet row = statement.executeQuery()) {
          row.next();
          if (row.getLong(1) > 0) {
            return Optional.of(node.name());
          }
        }
      }
    }
    return Optional.empty();
  }
}
