package io.pgsplit.proxy.pool;

import io.pgsplit.proxy.backend.BackendConnection;

/**
 * A connection of one loop's pool, lent or parked, from its opening to its closing: one object for its whole life
 * in the pool, so lending and parking it allocate nothing. {@code generation} tells whether its server was retired
 * since it opened, {@code parkedAt} (the pools' nanosecond clock, set as it is parked) whether it rests or is only
 * between two queries. Touched only on the pool's loop.
 */
final class PooledConnection {
    private final PoolKey key;
    private final BackendConnection connection;
    private final int generation;
    private long parkedAt;

    PooledConnection(PoolKey key, BackendConnection connection, int generation) {
        this.key = key;
        this.connection = connection;
        this.generation = generation;
    }

    PoolKey key() {
        return key;
    }

    BackendConnection connection() {
        return connection;
    }

    int generation() {
        return generation;
    }

    long parkedAt() {
        return parkedAt;
    }

    /** Marks it parked now; returns itself for the idle list. */
    PooledConnection parkedAt(long now) {
        parkedAt = now;
        return this;
    }
}
