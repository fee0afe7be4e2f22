package io.pgsplit.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens N client connections through pgsplit, runs one query on each so a server connection
 * exists behind it, then holds them idle until stdin closes: the memory probe in
 * {@code bench/idle-memory.sh} measures the proxy's heap around it.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.pgsplit.bench.IdleClients JDBC_URL N</pre>
 */
public final class IdleClients {
    private IdleClients() {
    }

    public static void main(String[] args) throws SQLException, java.io.IOException {
        String url = args[0];
        int count = Integer.parseInt(args[1]);
        List<Connection> connections = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                Connection connection = DriverManager.getConnection(url);
                connection.createStatement().execute("SELECT 1");
                connections.add(connection);
            }
            System.out.println("OPEN " + connections.size());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the connections until the caller closes stdin
            }
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }
}
