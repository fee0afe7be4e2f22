package io.pgsplit.proxy.config;

import java.time.Duration;
import java.util.Objects;

/**
 * @param replicaMaxPerServer pooled connections to one replica, over all users and databases
 * @param acquireTimeout      how long a client waits for a pooled connection before SQLSTATE 53300
 */
public record PoolConfig(int replicaMaxPerServer, Duration acquireTimeout) {

    public PoolConfig {
        Objects.requireNonNull(acquireTimeout, "acquireTimeout");
    }
}
