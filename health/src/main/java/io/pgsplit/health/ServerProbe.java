package io.pgsplit.health;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a server over its persistent probe connection, in a single round trip, for its role and WAL position.
 *
 * <p>Not thread-safe: one probe at a time. Only {@link #abort()} and {@link #close()} may be called from another
 * thread, to unblock a probe stuck on a server that accepted the connection and then stopped answering.
 */
final class ServerProbe implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerProbe.class);

    private static final String ROLE_QUERY_TEMPLATE = """
            SELECT pg_is_in_recovery(),
                   CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END,
                   EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()),
                   %s""";
    private static final String ROLE_QUERY =
            ROLE_QUERY_TEMPLATE.formatted("(SELECT timeline_id FROM pg_control_checkpoint())");
    /** For installations that revoked pg_control_checkpoint() from the probe user. */
    private static final String ROLE_QUERY_WITHOUT_TIMELINE = ROLE_QUERY_TEMPLATE.formatted("NULL::integer");
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private final ServerAddress address;
    private final ProbeConnection connection;
    /** Asked again whenever the credentials change: the new user may hold the privilege. */
    private boolean timelineReadable = true;

    ServerProbe(ServerAddress address, ProbeCredentials credentials, Duration timeout) {
        this.address = address;
        this.connection = new ProbeConnection(address, "pgsplit-health", credentials, timeout,
                () -> timelineReadable = true);
    }

    /** A change takes effect on the next probe, which reconnects. */
    void configure(ProbeCredentials credentials, Duration timeout) {
        connection.configure(credentials, timeout);
    }

    ProbeResult run() throws SQLException {
        return connection.query(this::queryRole);
    }

    /** Closes the socket under a running probe, or makes a connection being opened be dropped. */
    void abort() {
        connection.abort();
    }

    @Override
    public void close() {
        connection.close();
    }

    private ProbeResult queryRole(Statement statement) throws SQLException {
        if (timelineReadable) {
            try {
                return read(statement, ROLE_QUERY);
            } catch (SQLException e) {
                if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                    throw e;
                }
                timelineReadable = false;
                log.warn("{}: the probe user may not call pg_control_checkpoint(), timelines will not be reported "
                        + "(granting pg_monitor fixes this)", address.name());
            }
        }
        return read(statement, ROLE_QUERY_WITHOUT_TIMELINE);
    }

    private static ProbeResult read(Statement statement, String query) throws SQLException {
        try (ResultSet row = statement.executeQuery(query)) {
            row.next();
            boolean inRecovery = row.getBoolean(1);
            long walLsn = Lsn.parse(row.getString(2));
            double replayAge = row.getDouble(3);
            if (row.wasNull()) {
                replayAge = -1;
            }
            int timeline = row.getInt(4);
            if (row.wasNull()) {
                timeline = -1;
            }
            return new ProbeResult(inRecovery, walLsn, replayAge, timeline);
        }
    }
}
