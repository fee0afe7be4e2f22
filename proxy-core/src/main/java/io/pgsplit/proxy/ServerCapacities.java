package io.pgsplit.proxy;

import io.pgsplit.health.MonitorConnections;
import io.pgsplit.health.ProbeCredentials;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.proxy.config.ConnectionBudget;
import io.pgsplit.proxy.config.ConnectionBudget.ServerCapacity;
import io.pgsplit.proxy.config.PgSplitConfig;
import io.pgsplit.proxy.config.ServerConfig;
import io.pgsplit.proxy.tls.ServerTls;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads each server's connection limits with the health login, to check {@link ConnectionBudget}: blocking JDBC,
 * so only ever on a thread of its own (start-up, {@code check-config --connect}), never on an event loop.
 */
public final class ServerCapacities {
    private static final String QUERY = MonitorConnections.MARKER + "SELECT current_setting('max_connections')::int,"
            + " current_setting('superuser_reserved_connections')::int"
            + " + coalesce(current_setting('reserved_connections', true), '0')::int";
    private static final String APPLICATION_NAME = "pgsplit-capacity";

    private ServerCapacities() {
    }

    /** One line per server: a warning, or why it could not be asked. */
    public static List<String> check(PgSplitConfig config, Duration timeout) {
        List<String> lines = new ArrayList<>();
        if (ConnectionBudget.primaryConnectionsNeeded(config) == 0) {
            return lines;
        }
        ProbeCredentials login = PgSplitServer.probeCredentials(config.health(),
                ServerTls.of(config.security().serverTls(), config.servers()));
        for (ServerConfig server : config.servers()) {
            try {
                ConnectionBudget.warning(config, read(ProxyContext.address(server), login, timeout)).ifPresent(lines::add);
            } catch (SQLException e) {
                lines.add("could not read max_connections of " + server.name() + " to check session mode: "
                        + e.getMessage());
            }
        }
        return lines;
    }

    private static ServerCapacity read(ServerAddress server, ProbeCredentials login, Duration timeout)
            throws SQLException {
        try (Connection connection = MonitorConnections.open(server, APPLICATION_NAME, login, login.database(), timeout);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(QUERY)) {
            row.next();
            return new ServerCapacity(server.name(), row.getInt(1), row.getInt(2));
        }
    }
}
