package io.pgsplit.proxy.pool;

import io.netty.channel.EventLoop;
import io.pgsplit.proxy.backend.BackendConnection;
import java.util.concurrent.CompletableFuture;

/**
 * The pooled connections of one {@link PoolKey} on one event loop, resolved once: a session keeps it for the
 * key and its own loop, so borrowing and giving back look nothing up (no map per request). It stays right for
 * the life of its {@link ServerPools}: a server's pools are never dropped, and a server that is retired, removed
 * by a reload or added back ends a generation, which the loop's pool follows for every connection and waiter.
 * Call every method on the loop.
 */
public final class KeyedPool {
    private final LoopPool pool;
    private final PoolKey key;
    private final EventLoop loop;

    KeyedPool(LoopPool pool, PoolKey key, EventLoop loop) {
        this.pool = pool;
        this.key = key;
        this.loop = loop;
    }

    public PoolKey key() {
        return key;
    }

    /** As {@link ServerPools#tryAcquireIdle}. */
    public BackendConnection tryAcquireIdle() {
        ServerPools.requireOn(loop);
        return pool.tryAcquireIdle(key);
    }

    /** As {@link ServerPools#acquire}. */
    public CompletableFuture<BackendConnection> acquire() {
        ServerPools.requireOn(loop);
        return pool.acquire(key);
    }

    /** As {@link ServerPools#release}, for a connection this key's pool on this loop lent. */
    public void release(BackendConnection connection, boolean reusable) {
        if (connection.channel().eventLoop() != loop) {
            throw new IllegalStateException(connection + " was not lent on " + loop);
        }
        ServerPools.requireOn(loop);
        pool.release(key, connection, reusable);
    }
}
