package io.pgsplit.proxy.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole proxy configuration, validated by {@link ConfigLoader}. {@code shutdownTimeout}: how long
 * SIGTERM lets open transactions finish before the remaining sessions are closed; {@code security}: TLS on both
 * sides, auth_query and hba; {@code transport}: the I/O transport asked for, and {@code ioThreads}: how many I/O loops, both read
 * at start only.
 */
public record PgSplitConfig(HostPort listen, Optional<HostPort> admin, AuthType authType, List<ServerConfig> servers,
                            List<UserConfig> users, HealthConfig health, RoutingConfig routing, LimitsConfig limits,
                            PoolConfig pool, ConsistencyConfig consistency, Duration shutdownTimeout,
                            SecuritySettings security, TransportChoice transport, IoThreads ioThreads) {

    public PgSplitConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(authType, "authType");
        servers = List.copyOf(servers);
        users = List.copyOf(users);
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(consistency, "consistency");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(ioThreads, "ioThreads");
    }

    /** The consistency a new session of this user starts with: the user's own, else the default. */
    public Consistency consistencyFor(String userName) {
        return user(userName).flatMap(UserConfig::consistency).orElse(consistency.mode());
    }

    /** How long this user's sessions hold a primary connection: the user's own pool mode, else the default. */
    public PoolMode poolModeFor(String userName) {
        return user(userName).flatMap(UserConfig::poolMode).orElse(pool.mode());
    }

    public Optional<UserConfig> user(String name) {
        return users.stream().filter(user -> user.name().equals(name)).findFirst();
    }
}
