package io.pgsplit.proxy.session;

import io.netty.channel.EventLoop;
import io.pgsplit.health.Role;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.proxy.ProxyContext;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.pool.PoolKey;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The session's connections from the proxy's connector and pools, on the session's event loop. */
final class PooledConnectionSource implements ConnectionSource {
    private final ProxyContext context;
    private final EventLoop loop;
    private final String user;
    private final Map<String, String> startupParameters;

    PooledConnectionSource(ProxyContext context, EventLoop loop, String user, Map<String, String> startupParameters) {
        this.context = context;
        this.loop = loop;
        this.user = user;
        this.startupParameters = startupParameters;
    }

    @Override
    public CompletableFuture<BackendConnection> openOwn(ServerAddress server) {
        return context.connector().connect(loop, server.name(), server.host(), server.port(), startupParameters, user,
                context.serverLogin(user));
    }

    @Override
    public BackendConnection borrowIdle(PoolKey key, Role role) {
        return context.pools(role).tryAcquireIdle(loop, key);
    }

    @Override
    public CompletableFuture<BackendConnection> borrow(PoolKey key, Role role) {
        return context.pools(role).acquire(loop, key);
    }

    @Override
    public void giveBack(PoolKey key, Role role, BackendConnection connection, boolean reusable) {
        context.pools(role).release(key, connection, reusable);
    }
}
