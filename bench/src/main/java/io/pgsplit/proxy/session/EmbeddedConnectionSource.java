package io.pgsplit.proxy.session;

import io.pgsplit.health.ClusterView;
import io.pgsplit.health.Role;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.proxy.ProxyContext;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.pool.PoolKey;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One server connection per server, made on first use and lent again once given back clean, like an idle pooled
 * connection of the real pools: a benchmark's round trips all find one idle. In this package, inside the bench
 * module, because {@link ConnectionSource} is package-private.
 */
public final class EmbeddedConnectionSource implements ConnectionSource {
    private final Function<String, BackendConnection> opener;
    private final Map<String, BackendConnection> connections = new HashMap<>();
    private final Map<String, BackendConnection> idle = new HashMap<>();

    /** @param opener a started connection to the named server */
    public EmbeddedConnectionSource(Function<String, BackendConnection> opener) {
        this.opener = opener;
    }

    /** A session machine of {@code user} that takes its server connections from here. */
    public SessionMachine session(ProxyContext context, ClusterView cluster, SessionIo io, String user,
                                  Map<String, String> startupParameters) {
        return new SessionMachine(context, cluster, io, this, user, startupParameters, () -> { });
    }

    @Override
    public CompletableFuture<BackendConnection> openOwn(ServerAddress server) {
        return CompletableFuture.completedFuture(connection(server.name()));
    }

    @Override
    public BackendConnection borrowIdle(PoolKey key, Role role) {
        return idle.remove(key.server().name());
    }

    @Override
    public CompletableFuture<BackendConnection> borrow(PoolKey key, Role role) {
        BackendConnection parked = idle.remove(key.server().name());
        return CompletableFuture.completedFuture(parked != null ? parked : connection(key.server().name()));
    }

    @Override
    public void giveBack(PoolKey key, Role role, BackendConnection connection, boolean reusable) {
        if (reusable) {
            idle.put(connection.serverName(), connection);
        } else {
            connections.remove(connection.serverName());
            connection.abort();
        }
    }

    private BackendConnection connection(String server) {
        return connections.computeIfAbsent(server, opener);
    }
}
