package io.pgsplit.cluster;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Waits until a primary's pg_stat_replication shows replicas streaming, by their application_name. */
public final class ReplicationWatch {
  private ReplicationWatch() {}

  public static void awaitStreaming(PgNode primary, List<? extends PgNode> replicas, Duration timeout) {
    Set<String> expected = replicas.stream().map(PgNode::name).collect(Collectors.toSet());
    Await.until("replicas " + expected + " to stream from " + primary.name(), timeout,
        () -> streamingReplicas(primary).containsAll(expected),
        () -> replicas.stream().map(replica -> LogTail.of(replica.logFile())).collect(Collectors.joining("\n")));
  }

  static Set<String> streamingReplicas(PgNode primary) throws SQLException {
    Set<String> names = new HashSet<>();
    try (Connection connection = primary.connectAsSuperuser();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(
            "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'")) {
      while (rows.next()) {
        names.add(rows.getString(1));
      }
    }
    return names;
  }
}
