package io.pgsplit.health;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * Short-lived monitoring connections for readers outside this module (the routing catalog, {@code pgsplit
 * analyze}): logged in and encrypted exactly like the probes, to the database asked for, read-only, with the
 * given timeout on every network wait.
 */
public final class MonitorConnections {

    private static final Executor IN_CALLER = Runnable::run;

    private MonitorConnections() {
    }

    /** Opens a connection; the caller closes it. */
    public static Connection open(ServerAddress server, String applicationName, ProbeCredentials credentials,
                                  String database, Duration timeout) throws SQLException {
        ProbeCredentials login = new ProbeCredentials(credentials.user(), credentials.password(), database,
                credentials.tls());
        Connection connection = ProbeConnection.ConnectionConfig.of(server, applicationName, login, timeout)
                .dataSource().getConnection();
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
