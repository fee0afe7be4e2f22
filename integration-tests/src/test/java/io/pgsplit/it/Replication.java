package io.pgsplit.it;

import static org.awaitility.Awaitility.await;

import io.pgsplit.cluster.PgCluster;
import io.pgsplit.cluster.PgNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * Waits for streaming replication, so a test reads on a replica only what the primary has already written. Shared by
 * every test package.
 */
public final class Replication {
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(30);

  private Replication() {}

  /** Returns once every replica has replayed the primary's WAL up to its position at the time of the call. */
  public static void awaitReplicasCaughtUp(PgCluster cluster) throws SQLException {
    awaitReplicasCaughtUp(cluster.primary(), cluster.replicas());
  }

  /** Returns once each of {@code replicas} has replayed {@code primary}'s WAL up to its position at the time of the call. */
  public static void awaitReplicasCaughtUp(PgNode primary, List<PgNode> replicas) throws SQLException {
    awaitReplayed(replicas, currentWalLsn(primary), CATCH_UP_TIMEOUT);
  }

  /** Returns once each of {@code replicas} has replayed WAL up to {@code lsn}; fails after {@code max}. */
  public static void awaitReplayed(List<PgNode> replicas, String lsn, Duration max) {
    for (PgNode replica : replicas) {
      await("replay of " + lsn + " on " + replica.name()).atMost(max).pollInterval(Duration.ofMillis(20))
          .until(() -> hasReplayed(replica, lsn));
    }
  }

  /** The primary's current WAL position, as text ("0/3000060"). */
  public static String currentWalLsn(PgNode primary) throws SQLException {
    try (Connection connection = primary.connectAsSuperuser();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT pg_current_wal_lsn()::text")) {
      row.next();
      return row.getString(1);
    }
  }

  private static boolean hasReplayed(PgNode replica, String lsn) throws SQLException {
    try (Connection connection = replica.connectAsSuperuser();
        PreparedStatement statement = connection.prepareStatement(
            "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), ?::pg_lsn) >= 0")) {
      statement.setString(1, lsn);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() && row.getBoolean(1);
      }
    }
  }
}
