package io.pgsplit.cluster;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A login straight to one node of a cluster, bypassing pgsplit, as any local process could try it: for the tests
 * that prove what the servers refuse (no password, a wrong one, replication without one).
 */
public final class DirectLogin {
    private DirectLogin() {
    }

    /** Logs in to database {@code postgres} of {@code node} and out again; a refused login throws. */
    public static void login(PgNode node, String user, String password, boolean replication) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        if (replication) {
            properties.setProperty("replication", "true");
            properties.setProperty("assumeMinServerVersion", "9.4");
            properties.setProperty("preferQueryMode", "simple");
        }
        properties.setProperty("connectTimeout", "5");
        DriverManager.getConnection(node.jdbcUrl("postgres"), properties).close();
    }

    /** The SQLSTATE the login is refused with, or {@code "no error"} when it succeeds. */
    public static String refusal(PgNode node, String user, String password, boolean replication) {
        try {
            login(node, user, password, replication);
            return "no error";
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }
}
