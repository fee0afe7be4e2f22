package io.pgsplit.proxy.pool;

import io.netty.channel.EventLoop;
import io.pgsplit.proxy.backend.BackendConnection;
import java.util.concurrent.CompletableFuture;

/** Opens an authenticated connection for {@code key} on {@code loop} (in production, through BackendConnector). */
@FunctionalInterface
public interface ConnectionOpener {

    /** Completes with a connection ready for queries, or exceptionally when none could be opened. */
    CompletableFuture<BackendConnection> open(EventLoop loop, PoolKey key);
}
