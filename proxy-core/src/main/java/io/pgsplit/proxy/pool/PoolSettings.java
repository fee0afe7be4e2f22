package io.pgsplit.proxy.pool;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code maxPerServer}: connections to one server, over every user, database and event loop (the
 * config key it comes from is {@code limitKey}, for messages); {@code pool.acquire_timeout}: how long
 * a client may wait for one of them.
 */
public record PoolSettings(String limitKey, int maxPerServer, Duration acquireTimeout) {

    public PoolSettings {
        Objects.requireNonNull(limitKey, "limitKey");
        if (maxPerServer < 1) {
            throw new IllegalArgumentException(limitKey + " must be at least 1, got " + maxPerServer);
        }
        Objects.requireNonNull(acquireTimeout, "acquireTimeout");
        if (acquireTimeout.isNegative() || acquireTimeout.isZero()) {
            throw new IllegalArgumentException("pool.acquire_timeout must be positive, got " + acquireTimeout);
        }
    }

    /** The settings of the replica pools. */
    public static PoolSettings defaults() {
        return new PoolSettings("pool.replica_max_per_server", 20, Duration.ofSeconds(5));
    }
}
