package io.pgsplit.proxy.pool;

import io.pgsplit.proxy.backend.BackendConnection;

/**
 * Listens to parked connections. The server may still close one (restart, idle timeout,
 * pg_terminate_backend): it must then leave the pool and free its slot.
 */
final class IdleConnectionListener extends DiscardingListener {
    private final LoopPool pool;

    IdleConnectionListener(LoopPool pool) {
        this.pool = pool;
    }

    @Override
    public void onBackendClosed(BackendConnection backend, String reason) {
        pool.idleConnectionClosed(backend);
    }
}
