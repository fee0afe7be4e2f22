package io.pgsplit.proxy.session;

import io.netty.channel.EventLoop;
import io.pgsplit.health.Role;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.proxy.ProxyContext;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.pool.KeyedPool;
import io.pgsplit.proxy.pool.PoolKey;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The session's connections from the proxy's connector and pools, on the session's event loop. The pools of each
 * key are resolved once ({@link KeyedPool}) and kept in a few slots, compared by identity: {@link ConnectionLeases}
 * uses one key per server address, so a request borrows and gives back without a map lookup.
 */
final class PooledConnectionSource implements ConnectionSource {
    /** More servers than this in turn only cost a lookup each (the slots are reused round-robin). */
    private static final int SLOTS = 8;

    private final ProxyContext context;
    private final EventLoop loop;
    private final String user;
    private final Map<String, String> startupParameters;
    private final KeyedPool[] keyed = new KeyedPool[SLOTS];
    private final Role[] roles = new Role[SLOTS];
    private int nextSlot;

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
        return keyed(key, role).tryAcquireIdle();
    }

    @Override
    public CompletableFuture<BackendConnection> borrow(PoolKey key, Role role) {
        return keyed(key, role).acquire();
    }

    @Override
    public void giveBack(PoolKey key, Role role, BackendConnection connection, boolean reusable) {
        keyed(key, role).release(connection, reusable);
    }

    private KeyedPool keyed(PoolKey key, Role role) {
        for (int slot = 0; slot < SLOTS; slot++) {
            KeyedPool pool = keyed[slot];
            if (pool != null && pool.key() == key && roles[slot] == role) {
                return pool;
            }
        }
        KeyedPool pool = context.pools(role).keyed(loop, key);
        keyed[nextSlot] = pool;
        roles[nextSlot] = role;
        nextSlot = (nextSlot + 1) % SLOTS;
        return pool;
    }
}
