package io.pgsplit.proxy.pool;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.backend.BackendListener;

/**
 * Listens to connections no client holds. The server may still close one (restart, idle timeout,
 * pg_terminate_backend): it must then leave the pool and free its slot.
 */
final class IdleConnectionListener implements BackendListener {
    private final LoopPool pool;

    IdleConnectionListener(LoopPool pool) {
        this.pool = pool;
    }

    /**
     * Only notices, notifications and parameter changes get here: BackendHandler closes a
     * connection that owes nothing on any other message. No client is there to read them.
     */
    @Override
    public void onServerMessages(BackendConnection backend, ByteBuf messages, boolean answer) {
        messages.release();
    }

    /** A connection here owes nothing, so BackendHandler closes it on a ReadyForQuery instead of reporting one. */
    @Override
    public void onReadyForQuery(BackendConnection backend, TransactionStatus status, boolean failed) {
    }

    @Override
    public void onServerReadComplete(BackendConnection backend) {
    }

    @Override
    public void onBackendClosed(BackendConnection backend, String reason) {
        pool.idleConnectionClosed(backend);
    }
}
