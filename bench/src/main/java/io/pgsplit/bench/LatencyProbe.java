package io.pgsplit.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.HdrHistogram.Histogram;

/**
 * Round-trip latency of one client's reads through pgsplit: after a warm-up, N {@code SELECT 1} in
 * the simple protocol, one at a time; prints p50, p99 and p99.9 in microseconds.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.pgsplit.bench.LatencyProbe JDBC_URL N</pre>
 */
public final class LatencyProbe {
    private LatencyProbe() {
    }

    public static void main(String[] args) throws SQLException {
        String url = args[0];
        int count = Integer.parseInt(args[1]);
        Histogram micros = new Histogram(60_000_000L, 3);
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            for (int i = 0; i < count / 5; i++) {
                query(statement);
            }
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                query(statement);
                micros.recordValue((System.nanoTime() - start) / 1_000);
            }
        }
        System.out.printf("p50_us %d p99_us %d p999_us %d max_us %d%n", micros.getValueAtPercentile(50),
                micros.getValueAtPercentile(99), micros.getValueAtPercentile(99.9), micros.getMaxValue());
    }

    private static void query(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery("SELECT 1")) {
            row.next();
        }
    }
}
