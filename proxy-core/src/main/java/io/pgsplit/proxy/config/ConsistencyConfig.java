package io.pgsplit.proxy.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * @param mode    the default for every session (users and sessions may override it)
 * @param maxWait how long a read may wait for a replica to replay the session's last commit before
 *                it goes to the primary; empty: it goes to the primary at once
 */
public record ConsistencyConfig(Consistency mode, Optional<Duration> maxWait) {

    public ConsistencyConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(maxWait, "maxWait");
    }

    public static ConsistencyConfig defaults() {
        return new ConsistencyConfig(Consistency.READ_YOUR_WRITES, Optional.empty());
    }
}
