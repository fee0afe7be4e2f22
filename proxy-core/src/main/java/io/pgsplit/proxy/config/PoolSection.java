package io.pgsplit.proxy.config;

import java.time.Duration;
import java.util.Set;

/**
 * Reads {@code pool} and the top-level {@code pool_mode}: the connection pools that clients borrow
 * from, replicas for one group or read-only transaction, the primary in transaction mode.
 */
final class PoolSection {
    private static final Set<String> KEYS = Set.of("replica_max_per_server", "primary_max_per_server", "acquire_timeout",
            "max_prepared_statements_per_connection");

    private PoolSection() {
    }

    static PoolConfig read(ConfigNode pool, ConfigNode mode) throws ConfigException {
        pool.requireMapping(KEYS);
        return new PoolConfig(
                mode.asOr(PoolMode::fromConfigName, PoolMode.SESSION),
                pool.get("replica_max_per_server").asOr(Scalars.integerBetween(1, 10_000), 20),
                pool.get("primary_max_per_server").asOr(Scalars.integerBetween(1, 10_000), 20),
                pool.get("acquire_timeout").asOr(Scalars.positiveDuration(), Duration.ofSeconds(5)),
                pool.get("max_prepared_statements_per_connection").asOr(Scalars.integerBetween(1, 100_000), 200));
    }
}
