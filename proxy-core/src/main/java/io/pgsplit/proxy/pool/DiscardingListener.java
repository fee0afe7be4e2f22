package io.pgsplit.proxy.pool;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.backend.BackendListener;

/**
 * Listens to a connection no client holds: nobody reads what it still sends. As is, for a
 * connection the pool is closing on purpose; {@link IdleConnectionListener} adds what a parked
 * connection's close must do.
 */
class DiscardingListener implements BackendListener {
    static final DiscardingListener INSTANCE = new DiscardingListener();

    /**
     * Only notices, notifications and parameter changes get here: BackendHandler closes a
     * connection that owes nothing on any other message.
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
    }
}
