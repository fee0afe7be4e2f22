package io.pgsplit.proxy.pool;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.backend.BackendListener;

/** Listens to a connection the pool is closing on purpose: nobody reads what it still sends. */
enum DiscardingListener implements BackendListener {
    INSTANCE;

    @Override
    public void onServerMessages(BackendConnection backend, ByteBuf messages, boolean answer) {
        messages.release();
    }

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
