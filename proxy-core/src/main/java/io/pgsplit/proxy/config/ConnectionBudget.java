package io.pgsplit.proxy.config;

import java.util.Optional;

/**
 * Whether a server can carry pgsplit in session mode. There every client that writes holds a primary connection
 * of its own for the rest of its session, so the primary may be asked for {@code limits.max_client_connections}
 * of them, plus the transaction-mode pool ({@code pool.primary_max_per_server}) when some user pools, plus
 * pgsplit's own monitoring logins. Any server may be promoted, so each one is measured against that.
 */
public final class ConnectionBudget {
    /** The health probe and the routing catalog's reader, each one connection at a time. */
    static final int MONITORING_CONNECTIONS = 2;

    private ConnectionBudget() {
    }

    /**
     * What a server lets ordinary roles use: {@code max_connections} less {@code superuser_reserved_connections}
     * and (PostgreSQL 16 and later) {@code reserved_connections}.
     */
    public record ServerCapacity(String server, int maxConnections, int reserved) {
        int available() {
            return maxConnections - reserved;
        }
    }

    /** The primary connections pgsplit may need at once; 0 when no user runs in session mode. */
    public static int primaryConnectionsNeeded(PgSplitConfig config) {
        if (!anySessionMode(config)) {
            return 0;
        }
        int pooled = anyTransactionMode(config) ? config.pool().primaryMaxPerServer() : 0;
        return config.limits().maxClientConnections() + pooled + MONITORING_CONNECTIONS;
    }

    /** A warning when {@code capacity} cannot carry {@link #primaryConnectionsNeeded}. */
    public static Optional<String> warning(PgSplitConfig config, ServerCapacity capacity) {
        int needed = primaryConnectionsNeeded(config);
        if (needed <= capacity.available()) {
            return Optional.empty();
        }
        return Optional.of("limits.max_client_connections (" + config.limits().maxClientConnections()
                + ") exceeds what " + capacity.server() + " can carry in session mode: each client that writes holds"
                + " a primary connection of its own, so as the primary it may be asked for " + needed
                + " connections but allows " + capacity.available() + " (max_connections " + capacity.maxConnections()
                + " less " + capacity.reserved() + " reserved); lower limits.max_client_connections, raise"
                + " max_connections, or use pool_mode: transaction");
    }

    /** Said when the servers cannot be asked: what each one that may become the primary must allow. */
    public static Optional<String> requirement(PgSplitConfig config) {
        int needed = primaryConnectionsNeeded(config);
        return needed == 0 ? Optional.empty() : Optional.of("session mode: every server that may become the primary"
                + " needs max_connections of at least " + needed + " plus its reserved connections"
                + " (limits.max_client_connections + pgsplit's own)");
    }

    private static boolean anySessionMode(PgSplitConfig config) {
        return config.pool().mode() == PoolMode.SESSION
                || config.users().stream().anyMatch(user -> user.poolMode().orElse(null) == PoolMode.SESSION);
    }

    private static boolean anyTransactionMode(PgSplitConfig config) {
        return config.pool().mode() == PoolMode.TRANSACTION
                || config.users().stream().anyMatch(user -> user.poolMode().orElse(null) == PoolMode.TRANSACTION);
    }
}
