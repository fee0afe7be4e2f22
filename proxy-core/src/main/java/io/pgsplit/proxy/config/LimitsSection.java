package io.pgsplit.proxy.config;

import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

/** Reads {@code limits}: the bounds that protect the proxy from oversized messages and connection floods. */
final class LimitsSection {
    private static final Set<String> KEYS = Set.of("max_message_size", "max_client_connections", "connect_timeout");
    private static final long MIN_MESSAGE_SIZE = 8L << 10;
    private static final long MAX_MESSAGE_SIZE = 1L << 30;
    private static final Function<String, Long> MESSAGE_SIZE = Scalars.requiring(Scalars::size,
            size -> size >= MIN_MESSAGE_SIZE && size <= MAX_MESSAGE_SIZE, "must be between 8kB and 1GB");

    private LimitsSection() {
    }

    static LimitsConfig read(ConfigNode limits) throws ConfigException {
        limits.requireMapping(KEYS);
        return new LimitsConfig(
                Math.toIntExact(limits.get("max_message_size").asOr(MESSAGE_SIZE, 64L << 20)),
                limits.get("max_client_connections").asOr(Scalars.integerBetween(1, Integer.MAX_VALUE), 1000),
                limits.get("connect_timeout").asOr(Scalars.positiveDuration(), Duration.ofSeconds(5)));
    }
}
