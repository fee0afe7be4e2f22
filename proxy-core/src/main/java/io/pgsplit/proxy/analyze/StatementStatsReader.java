package io.pgsplit.proxy.analyze;

import io.pgsplit.health.MonitorConnections;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code pg_stat_statements} of the connected database: its top-level statements (PostgreSQL 14 and later
 * also record statements nested in functions, which the proxy never sees). Texts the login may not see
 * ({@code <insufficient privilege>}) are counted, not returned; pgsplit's own monitoring queries are left out.
 */
final class StatementStatsReader {
    private static final String HIDDEN = "<insufficient privilege>";
    /** pgsplit's own monitoring queries (the catalog loader's, this reader's) are not the workload. */
    private static final String OWN_STATEMENTS = "'" + MonitorConnections.MARKER.strip() + "%'";

    /** The statements, and how many rows were hidden from this login. */
    record Statements(List<StatementStat> visible, int hidden) {
    }

    private StatementStatsReader() {
    }

    static Statements read(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            requireExtension(statement);
            int version = serverVersion(statement);
            String time = version >= 130000 ? "s.total_exec_time" : "s.total_time";
            String topLevel = version >= 140000 ? " AND s.toplevel" : "";
            List<StatementStat> visible = new ArrayList<>();
            int hidden = 0;
            try (ResultSet rows = statement.executeQuery(MonitorConnections.MARKER
                    + "SELECT s.query, coalesce(r.rolname, ''), s.calls, " + time
                    + " FROM pg_stat_statements s LEFT JOIN pg_catalog.pg_roles r ON r.oid = s.userid"
                    + " WHERE s.dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())"
                    + " AND s.query NOT LIKE " + OWN_STATEMENTS + topLevel)) {
                while (rows.next()) {
                    String query = rows.getString(1);
                    if (query == null || query.equals(HIDDEN)) {
                        hidden++;
                    } else {
                        visible.add(new StatementStat(query, rows.getString(2), rows.getLong(3), rows.getDouble(4)));
                    }
                }
            }
            return new Statements(visible, hidden);
        }
    }

    private static void requireExtension(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery(MonitorConnections.MARKER
                + "SELECT pg_catalog.to_regclass('pg_stat_statements') IS NOT NULL")) {
            if (!row.next() || !row.getBoolean(1)) {
                throw new SQLException("pg_stat_statements is not installed in this database (load it with"
                        + " shared_preload_libraries = 'pg_stat_statements', then CREATE EXTENSION pg_stat_statements)");
            }
        }
    }

    private static int serverVersion(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery(MonitorConnections.MARKER
                + "SELECT pg_catalog.current_setting('server_version_num')::int")) {
            row.next();
            return row.getInt(1);
        }
    }
}
