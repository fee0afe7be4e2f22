package io.pgsplit.proxy.pool;

import io.pgsplit.proxy.backend.BackendConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/** A client queued for a connection because its server's limit was reached. */
final class Waiter {
    final PoolKey key;
    final CompletableFuture<BackendConnection> future;
    /** The server's generation when the client queued: a retired server fails its queue instead of serving it. */
    final int generation;
    private ScheduledFuture<?> timeout;

    Waiter(PoolKey key, CompletableFuture<BackendConnection> future, int generation) {
        this.key = key;
        this.future = future;
        this.generation = generation;
    }

    void timeout(ScheduledFuture<?> timeout) {
        this.timeout = timeout;
    }

    /** The waiter left the queue (served, failed or cancelled): its timer must not fire. */
    void stopTimer() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
