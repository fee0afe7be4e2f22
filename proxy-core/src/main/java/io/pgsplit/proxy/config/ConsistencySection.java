package io.pgsplit.proxy.config;

import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code consistency}: either just the mode ({@code consistency: eventual}) or a mapping
 * with {@code mode} and {@code max_wait}.
 */
final class ConsistencySection {
    private static final Set<String> KEYS = Set.of("mode", "max_wait");

    private ConsistencySection() {
    }

    static ConsistencyConfig read(ConfigNode consistency) throws ConfigException {
        if (!consistency.isPresent()) {
            return ConsistencyConfig.defaults();
        }
        if (consistency.isScalar()) {
            return new ConsistencyConfig(consistency.as(Consistency::fromConfigName), Optional.empty());
        }
        consistency.requireMapping(KEYS);
        return new ConsistencyConfig(
                consistency.get("mode").asOr(Consistency::fromConfigName, Consistency.READ_YOUR_WRITES),
                consistency.get("max_wait").asOptional(Scalars.positiveDuration()));
    }
}
