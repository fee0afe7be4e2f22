package io.pgsplit.proxy.cli;

import io.pgsplit.cluster.LocalPgCluster;
import io.pgsplit.cluster.PgNode;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

/** Seeds the demo database so routed reads have rows to return, as the app user so the proxy's login can read it. */
final class DemoSchema {
    static final String TABLE = "demo_items";
    private static final Duration REPLAY_LIMIT = Duration.ofSeconds(30);

    private DemoSchema() {
    }

    /** Creates and fills the table, then waits until every replica has replayed it, so the first read finds it. */
    static void create(LocalPgCluster cluster) throws SQLException, InterruptedException {
        String lsn;
        try (Connection connection = connectAsApp(cluster, cluster.primary());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + TABLE + " (id bigserial PRIMARY KEY, name text NOT NULL, "
                    + "created_at timestamptz NOT NULL DEFAULT now())");
            statement.execute("INSERT INTO " + TABLE + " (name) VALUES ('apple'), ('banana'), ('cherry')");
            try (ResultSet result = statement.executeQuery("SELECT pg_current_wal_lsn()::text")) {
                result.next();
                lsn = result.getString(1);
            }
        }
        for (PgNode replica : cluster.replicas()) {
            awaitReplay(cluster, replica, lsn);
        }
    }

    private static void awaitReplay(LocalPgCluster cluster, PgNode replica, String lsn)
            throws SQLException, InterruptedException {
        Instant deadline = Instant.now().plus(REPLAY_LIMIT);
        try (Connection connection = connectAsApp(cluster, replica);
             PreparedStatement replayed = connection.prepareStatement(
                     "SELECT pg_last_wal_replay_lsn() >= ?::pg_lsn")) {
            replayed.setString(1, lsn);
            while (!isTrue(replayed)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(replica.name() + " did not replay the demo table within "
                            + REPLAY_LIMIT.toSeconds() + " s");
                }
                Thread.sleep(50);
            }
        }
    }

    private static boolean isTrue(PreparedStatement query) throws SQLException {
        try (ResultSet result = query.executeQuery()) {
            return result.next() && result.getBoolean(1);
        }
    }

    private static Connection connectAsApp(LocalPgCluster cluster, PgNode node) throws SQLException {
        return DriverManager.getConnection(node.jdbcUrl(LocalPgCluster.APP_DATABASE), cluster.appUser(),
                cluster.appPassword());
    }
}
