package io.pgsplit.proxy.config;

import java.time.Duration;
import java.util.Objects;

/**
 * @param mode                the top-level {@code pool_mode}, which {@code users[].pool_mode} overrides
 * @param replicaMaxPerServer pooled connections to one replica, over all users and databases
 * @param primaryMaxPerServer pooled connections to the primary in transaction mode, over all users and databases
 * @param acquireTimeout      how long a client waits for a pooled connection before SQLSTATE 53300
 * @param maxPreparedStatementsPerConnection protocol-level statements one server connection keeps, least recently
 *                            used closed beyond it
 */
public record PoolConfig(PoolMode mode, int replicaMaxPerServer, int primaryMaxPerServer, Duration acquireTimeout,
                         int maxPreparedStatementsPerConnection) {

    public PoolConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(acquireTimeout, "acquireTimeout");
    }
}
