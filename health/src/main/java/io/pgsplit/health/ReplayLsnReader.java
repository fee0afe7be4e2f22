package io.pgsplit.health;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Reads one replica's {@code pg_last_wal_replay_lsn()} on demand, over a connection of its own so that it never waits
 * behind a probe round.
 *
 * <p>At most one read is in flight: while one is still stuck, e.g. opening a connection to a frozen server (which
 * cannot be aborted), further reads fail at once instead of tying up more threads.
 */
final class ReplayLsnReader implements AutoCloseable {

    private static final String QUERY = "SELECT pg_last_wal_replay_lsn()";

    private final ServerAddress address;
    private final ProbeConnection connection;
    private final Executor executor;

    // Guarded by this.
    private CompletableFuture<Long> inFlight = CompletableFuture.completedFuture(Lsn.UNKNOWN);

    /** @param executor runs the blocking reads */
    ReplayLsnReader(ServerAddress address, ProbeCredentials credentials, Duration timeout, Executor executor) {
        this.address = address;
        this.connection = new ProbeConnection(address, "pgsplit-replay-position", credentials, timeout, () -> { });
        this.executor = executor;
    }

    ServerAddress address() {
        return address;
    }

    /** A change takes effect on the next read, which reconnects. */
    void configure(ProbeCredentials credentials, Duration timeout) {
        connection.configure(credentials, timeout);
    }

    /** Starts a read; the future completes with the position ({@link Lsn#UNKNOWN} on a primary) or the failure. */
    synchronized CompletableFuture<Long> read() {
        if (!inFlight.isDone()) {
            return CompletableFuture.failedFuture(
                    new SQLTimeoutException("the previous replay position read of " + address.name() + " is still running"));
        }
        try {
            inFlight = CompletableFuture.supplyAsync(this::readOnce, executor);
        } catch (RejectedExecutionException closed) {
            return CompletableFuture.failedFuture(closed);
        }
        return inFlight;
    }

    /** Aborts {@code read} if it is still running; a read started later is left alone. */
    synchronized void abort(CompletableFuture<Long> read) {
        if (read == inFlight && !read.isDone()) {
            connection.abort();
        }
    }

    @Override
    public void close() {
        connection.close();
    }

    private long readOnce() {
        try {
            return connection.query(ReplayLsnReader::replayLsn);
        } catch (SQLException e) {
            throw new CompletionException(e);
        }
    }

    private static long replayLsn(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery(QUERY)) {
            row.next();
            return Lsn.parse(row.getString(1));
        }
    }
}
