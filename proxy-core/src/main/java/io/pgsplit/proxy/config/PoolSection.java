package io.pgsplit.proxy.config;

import java.time.Duration;
import java.util.Set;

/** Reads {@code pool}: the replica connection pools that clients borrow from for one group or read-only transaction. */
final class PoolSection {
    private static final Set<String> KEYS = Set.of("replica_max_per_server", "acquire_timeout");

    private PoolSection() {
    }

    static PoolConfig read(ConfigNode pool) throws ConfigException {
        pool.requireMapping(KEYS);
        return new PoolConfig(
                pool.get("replica_max_per_server").asOr(Scalars.integerBetween(1, 10_000), 20),
                pool.get("acquire_timeout").asOr(Scalars.positiveDuration(), Duration.ofSeconds(5)));
    }
}
