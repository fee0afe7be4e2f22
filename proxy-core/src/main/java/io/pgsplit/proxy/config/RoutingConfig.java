package io.pgsplit.proxy.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * @param writeFunctions       lower-case function names whose call makes a statement a write; a trailing {@code *}
 *                             matches by prefix
 * @param classifierCacheSize  how many statement classifications are cached
 * @param parseTimeout         statements that take longer to parse are sent to the primary
 */
public record RoutingConfig(List<String> writeFunctions, long classifierCacheSize, Duration parseTimeout) {

    public RoutingConfig {
        writeFunctions = List.copyOf(writeFunctions);
        Objects.requireNonNull(parseTimeout, "parseTimeout");
    }
}
