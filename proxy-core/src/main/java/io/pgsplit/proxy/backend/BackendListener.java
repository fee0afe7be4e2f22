package io.pgsplit.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.backend.TransactionStatus;

/** How a backend connection reports to the client session that owns it; always called on its event loop. */
public interface BackendListener {

    /** Whole server messages for the client, in order; ownership of {@code messages} passes to the listener. */
    void onServerMessages(BackendConnection backend, ByteBuf messages);

    /** A ReadyForQuery ended one of the groups sent to this backend (it has already been passed on). */
    void onReadyForQuery(BackendConnection backend, TransactionStatus status);

    /** The end of one read from the server: the moment to flush what was passed on. */
    void onServerReadComplete(BackendConnection backend);

    /** The connection is gone; {@code reason} says why, for the client's error message. */
    void onBackendClosed(BackendConnection backend, String reason);
}
