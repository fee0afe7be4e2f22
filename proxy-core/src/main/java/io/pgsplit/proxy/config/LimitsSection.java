package io.pgsplit.proxy.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Reads {@code limits}: the bounds that protect the proxy from oversized messages and connection floods. */
final class LimitsSection {
    private static final Set<String> KEYS = Set.of("max_message_size", "max_client_connections", "connect_timeout",
            "login_timeout", "client_idle_timeout", "max_pending_logins", "reserved_connections",
            "max_buffered_bytes", "buffer_wait_timeout");
    private static final long MIN_MESSAGE_SIZE = 8L << 10;
    private static final long MAX_MESSAGE_SIZE = 1L << 30;
    private static final Function<String, Long> MESSAGE_SIZE = Scalars.requiring(Scalars::size,
            size -> size >= MIN_MESSAGE_SIZE && size <= MAX_MESSAGE_SIZE, "must be between 8kB and 1GB");
    /** Below one socket read's worth the budget would pause sessions for ordinary traffic. */
    private static final Function<String, Long> BUFFERED_BYTES = Scalars.requiring(Scalars::size,
            size -> size >= 64L << 10, "must be at least 64kB");
    /** As PostgreSQL's authentication_timeout, whose range ends at 600 s. */
    private static final Function<String, Duration> LOGIN_TIMEOUT = Scalars.requiring(Scalars::duration,
            value -> !value.isZero() && value.compareTo(Duration.ofMinutes(10)) <= 0, "must be greater than 0 and at most 10m");
    /** PostgreSQL's superuser_reserved_connections default, when someone is there to use them. */
    private static final int DEFAULT_RESERVED_FOR_ADMINS = 3;

    private LimitsSection() {
    }

    static LimitsConfig read(ConfigNode limits, List<UserConfig> users) throws ConfigException {
        limits.requireMapping(KEYS);
        int maxClients = limits.get("max_client_connections").asOr(Scalars.integerBetween(1, Integer.MAX_VALUE), 1000);
        return new LimitsConfig(
                Math.toIntExact(limits.get("max_message_size").asOr(MESSAGE_SIZE, 64L << 20)),
                maxClients,
                limits.get("connect_timeout").asOr(Scalars.positiveDuration(), Duration.ofSeconds(5)),
                limits.get("login_timeout").asOr(LOGIN_TIMEOUT, LimitsConfig.DEFAULT_LOGIN_TIMEOUT),
                clientIdleTimeout(limits.get("client_idle_timeout")),
                limits.get("max_pending_logins").asOr(Scalars.integerBetween(1, 1_000_000),
                        LimitsConfig.DEFAULT_MAX_PENDING_LOGINS),
                reservedConnections(limits.get("reserved_connections"), maxClients, users),
                limits.get("max_buffered_bytes").asOr(BUFFERED_BYTES, LimitsConfig.DEFAULT_MAX_BUFFERED_BYTES),
                limits.get("buffer_wait_timeout").asOr(Scalars.positiveDuration(),
                        LimitsConfig.DEFAULT_BUFFER_WAIT_TIMEOUT));
    }

    /** Off unless set; 0 also means off, as PgBouncer's client_idle_timeout. */
    private static Optional<Duration> clientIdleTimeout(ConfigNode node) throws ConfigException {
        return node.asOptional(Scalars::duration).filter(timeout -> !timeout.isZero());
    }

    /**
     * Slots only admin users may take once the rest are in use, like PostgreSQL's
     * superuser_reserved_connections: 3 by default when some user is an admin, none otherwise. Reserving
     * slots nobody may use, or all of them, is a mistake worth refusing.
     */
    private static int reservedConnections(ConfigNode node, int maxClients, List<UserConfig> users)
            throws ConfigException {
        boolean anyAdmin = users.stream().anyMatch(UserConfig::admin);
        if (!node.isPresent()) {
            return anyAdmin ? Math.min(DEFAULT_RESERVED_FOR_ADMINS, maxClients - 1) : 0;
        }
        int reserved = node.as(Scalars.integerBetween(0, Integer.MAX_VALUE));
        if (reserved >= maxClients) {
            throw node.error("must be less than max_client_connections (" + maxClients + ")");
        }
        if (reserved > 0 && !anyAdmin) {
            throw node.error("reserves slots for admin users, but no user has admin: true");
        }
        return reserved;
    }
}
