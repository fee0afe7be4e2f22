package io.pgsplit.proxy.pool;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code pool.replica_max_per_server}: connections to one replica, over every user, database and
 * event loop; {@code pool.acquire_timeout}: how long a client may wait for one of them.
 */
public record PoolSettings(int replicaMaxPerServer, Duration acquireTimeout) {

    public PoolSettings {
        if (replicaMaxPerServer < 1) {
            throw new IllegalArgumentException("pool.replica_max_per_server must be at least 1, got " + replicaMaxPerServer);
        }
        Objects.requireNonNull(acquireTimeout, "acquireTimeout");
        if (acquireTimeout.isNegative() || acquireTimeout.isZero()) {
            throw new IllegalArgumentException("pool.acquire_timeout must be positive, got " + acquireTimeout);
        }
    }

    public static PoolSettings defaults() {
        return new PoolSettings(20, Duration.ofSeconds(5));
    }
}
