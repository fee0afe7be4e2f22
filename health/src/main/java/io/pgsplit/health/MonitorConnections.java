package io.pgsplit.health;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Short-lived monitoring connections for readers outside this module (the routing catalog, {@code pgsplit
 * analyze}): logged in and encrypted exactly like the probes, to the database asked for, read-only (the
 * server's {@code default_transaction_read_only}), with the given timeout on every network wait. Their queries
 * start with {@link #MARKER}, so that {@code pgsplit analyze} can leave pgsplit's own statements out.
 */
public final class MonitorConnections {

    /** The comment pgsplit's own monitoring queries start with. */
    public static final String MARKER = "/* pgsplit-internal */ ";

    private static final Executor IN_CALLER = Runnable::run;

    private MonitorConnections() {
    }

    /** Opens a connection; the caller closes it. */
    public static Connection open(ServerAddress server, String applicationName, ProbeCredentials credentials,
                                  String database, Duration timeout) throws SQLException {
        ProbeCredentials login = new ProbeCredentials(credentials.user(), credentials.password(), database,
                credentials.tls());
        PGSimpleDataSource dataSource = ProbeConnection.ConnectionConfig.of(server, applicationName, login, timeout)
                .dataSource();
        // Read-only on the server's side from the start, without a statement that would show in pg_stat_statements.
        dataSource.setOptions("-c default_transaction_read_only=on");
        Connection connection = dataSource.getConnection();
        try {
            connection.setNetworkTimeout(IN_CALLER, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            connection.setReadOnly(true);
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }
}
