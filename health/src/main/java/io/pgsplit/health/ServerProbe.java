package io.pgsplit.health;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executor;

import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.jdbc.PreferQueryMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one persistent connection to a server and asks it, in a single round trip, for its role and WAL position.
 * A failed probe drops the connection; the next one reconnects.
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
    /** Aborting only closes the socket, so it is done right away on the calling thread. */
    private static final Executor IN_CALLER = Runnable::run;

    /** Everything a connection is opened with; a change means reconnecting. */
    private record ConnectionConfig(ProbeCredentials credentials, Duration timeout, PGSimpleDataSource dataSource) {

        static ConnectionConfig of(ServerAddress address, ProbeCredentials credentials, Duration timeout) {
            int seconds = wholeSeconds(timeout);
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setServerNames(new String[] {address.host()});
            dataSource.setPortNumbers(new int[] {address.port()});
            dataSource.setDatabaseName(credentials.database());
            dataSource.setUser(credentials.user());
            dataSource.setPassword(credentials.password());
            dataSource.setConnectTimeout(seconds);
            dataSource.setSocketTimeout(seconds);
            dataSource.setLoginTimeout(seconds);
            dataSource.setApplicationName("pgsplit-health");
            // pg_current_wal_lsn() needs PostgreSQL 10 anyway; knowing it lets pgjdbc skip start-up round trips.
            dataSource.setAssumeMinServerVersion("10");
            dataSource.setPreferQueryMode(PreferQueryMode.SIMPLE);
            return new ConnectionConfig(credentials, timeout, dataSource);
        }

        /** pgjdbc's connect, socket, login and query timeouts are whole seconds; the caller enforces the exact bound. */
        static int wholeSeconds(Duration timeout) {
            return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (timeout.toMillis() + 999) / 1000));
        }

        int timeoutMillis() {
            return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        }

        boolean sameAs(ProbeCredentials otherCredentials, Duration otherTimeout) {
            return credentials.equals(otherCredentials) && timeout.equals(otherTimeout);
        }
    }

    private final ServerAddress address;
    private volatile ConnectionConfig config;
    private volatile Connection connection;
    private volatile boolean abortRequested;
    private volatile boolean closed;
    private ConnectionConfig connectedWith;
    private boolean timelineReadable = true;

    ServerProbe(ServerAddress address, ProbeCredentials credentials, Duration timeout) {
        this.address = address;
        configure(credentials, timeout);
    }

    /** A change takes effect on the next probe, which reconnects. */
    void configure(ProbeCredentials credentials, Duration timeout) {
        ConnectionConfig current = config;
        if (current == null || !current.sameAs(credentials, timeout)) {
            config = ConnectionConfig.of(address, credentials, timeout);
        }
    }

    ProbeResult run() throws SQLException {
        abortRequested = false;
        Connection current = connect();
        try (Statement statement = current.createStatement()) {
            statement.setQueryTimeout(ConnectionConfig.wholeSeconds(connectedWith.timeout()));
            return queryRole(statement);
        } catch (SQLException e) {
            disconnect();
            throw e;
        }
    }

    /** Closes the socket under a running probe, or makes a connection being opened be dropped. */
    void abort() {
        abortRequested = true;
        Connection current = connection;
        if (current != null) {
            try {
                current.abort(IN_CALLER);
            } catch (SQLException e) {
                log.debug("{}: aborting the probe connection failed", address.name(), e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        abort();
    }

    private Connection connect() throws SQLException {
        Connection current = connection;
        ConnectionConfig wanted = config;
        if (current != null && !current.isClosed() && wanted == connectedWith) {
            return current;
        }
        disconnect();
        current = wanted.dataSource().getConnection();
        // Unlike the driver properties, the network timeout has millisecond precision.
        current.setNetworkTimeout(IN_CALLER, wanted.timeoutMillis());
        if (wanted != connectedWith) {
            timelineReadable = true;
        }
        connection = current;
        connectedWith = wanted;
        // Published before checking, so that a concurrent abort() either sees the connection or is seen here.
        if (abortRequested || closed) {
            disconnect();
            throw new SQLTimeoutException("probe of " + address.name() + " was aborted while connecting");
        }
        return current;
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

    private void disconnect() {
        Connection current = connection;
        connection = null;
        if (current != null) {
            try {
                current.close();
            } catch (SQLException e) {
                log.debug("{}: closing the probe connection failed", address.name(), e);
            }
        }
    }
}
