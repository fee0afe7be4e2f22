package io.pgsplit.health;

import java.sql.Connection;
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
 * One persistent monitoring connection to a server, logged in with the probe credentials: opened by the first query,
 * dropped when a query fails and reopened by the next one, and reopened when the credentials or the timeout change.
 *
 * <p>Not thread-safe: one query at a time. Only {@link #abort()} and {@link #close()} may be called from another
 * thread, to unblock a query stuck on a server that accepted the connection and then stopped answering.
 */
final class ProbeConnection implements AutoCloseable {

    /** One round trip on the connection; an {@link SQLException} it lets escape drops the connection. */
    @FunctionalInterface
    interface Query<T> {
        T run(Statement statement) throws SQLException;
    }

    private static final Logger log = LoggerFactory.getLogger(ProbeConnection.class);

    /** Aborting only closes the socket, so it is done right away on the calling thread. */
    private static final Executor IN_CALLER = Runnable::run;

    /** Everything a connection is opened with; a change means reconnecting. */
    record ConnectionConfig(ProbeCredentials credentials, Duration timeout, PGSimpleDataSource dataSource) {

        static ConnectionConfig of(ServerAddress address, String applicationName, ProbeCredentials credentials,
                                   Duration timeout) {
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
            dataSource.setApplicationName(applicationName);
            // pg_current_wal_lsn() needs PostgreSQL 10 anyway; knowing it lets pgjdbc skip start-up round trips.
            dataSource.setAssumeMinServerVersion("10");
            dataSource.setPreferQueryMode(PreferQueryMode.SIMPLE);
            useTls(dataSource, address, credentials.tls());
            return new ConnectionConfig(credentials, timeout, dataSource);
        }

        /** The proxy's server_tls, so that probes are encrypted and verified like every other server connection. */
        private static void useTls(PGSimpleDataSource dataSource, ServerAddress address, ProbeTls tls) {
            if (tls == null) {
                return;
            }
            dataSource.setSslMode(tls.sslMode());
            javax.net.ssl.SSLSocketFactory factory = tls.socketFactory(address);
            if (factory != null) {
                dataSource.setSslfactory(ProbeSslSocketFactory.class.getName());
                dataSource.setSslfactoryarg(ProbeSslSocketFactory.register(factory));
            }
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
    private final String applicationName;
    private final Runnable onNewSettings;
    private volatile ConnectionConfig config;
    private volatile Connection connection;
    private volatile boolean abortRequested;
    private volatile boolean closed;
    private ConnectionConfig connectedWith;

    /**
     * @param applicationName shown in {@code pg_stat_activity}, so operators can tell the proxy's monitoring apart
     * @param onNewSettings   runs on the querying thread before the first query with changed credentials or timeout
     */
    ProbeConnection(ServerAddress address, String applicationName, ProbeCredentials credentials, Duration timeout,
                    Runnable onNewSettings) {
        this.address = address;
        this.applicationName = applicationName;
        this.onNewSettings = onNewSettings;
        configure(credentials, timeout);
    }

    /** A change takes effect on the next query, which reconnects. */
    void configure(ProbeCredentials credentials, Duration timeout) {
        ConnectionConfig current = config;
        if (current == null || !current.sameAs(credentials, timeout)) {
            config = ConnectionConfig.of(address, applicationName, credentials, timeout);
        }
    }

    <T> T query(Query<T> query) throws SQLException {
        abortRequested = false;
        Connection current = connect();
        try (Statement statement = current.createStatement()) {
            statement.setQueryTimeout(ConnectionConfig.wholeSeconds(connectedWith.timeout()));
            return query.run(statement);
        } catch (SQLException e) {
            disconnect();
            throw e;
        }
    }

    /** Closes the socket under a running query, or makes a connection being opened be dropped. */
    void abort() {
        abortRequested = true;
        Connection current = connection;
        if (current != null) {
            try {
                current.abort(IN_CALLER);
            } catch (SQLException e) {
                log.debug("{}: aborting the {} connection failed", address.name(), applicationName, e);
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
        if (closed) {
            throw new SQLException("the " + applicationName + " connection to " + address.name() + " is closed");
        }
        current = wanted.dataSource().getConnection();
        // Unlike the driver properties, the network timeout has millisecond precision.
        current.setNetworkTimeout(IN_CALLER, wanted.timeoutMillis());
        if (wanted != connectedWith) {
            onNewSettings.run();
        }
        connection = current;
        connectedWith = wanted;
        // Published before checking, so that a concurrent abort() either sees the connection or is seen here.
        if (abortRequested || closed) {
            disconnect();
            throw new SQLTimeoutException("the " + applicationName + " connection to " + address.name()
                    + " was aborted while it was being opened");
        }
        return current;
    }

    private void disconnect() {
        Connection current = connection;
        connection = null;
        if (current != null) {
            try {
                current.close();
            } catch (SQLException e) {
                log.debug("{}: closing the {} connection failed", address.name(), applicationName, e);
            }
        }
    }
}
