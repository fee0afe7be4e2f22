package io.pgsplit.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.backend.TransactionStatus;

/** How a backend connection reports to the client session that owns it; always called on its event loop. */
public interface BackendListener {

    /**
     * Whole server messages for the client, in order (but see {@link #takesPartialMessages});
     * ownership of {@code messages} passes to the listener. {@code answer}: they include more than
     * notices, notifications and parameter changes, which a server may send before it dies (immediate
     * shutdown) without having answered anything.
     */
    void onServerMessages(BackendConnection backend, ByteBuf messages, boolean answer);

    /**
     * Whether {@link #onServerMessages} may also be given parts of a large DataRow or CopyData, passed on
     * as they arrive instead of buffered whole; a listener that only forwards the bytes says yes.
     */
    default boolean takesPartialMessages() {
        return false;
    }

    /**
     * A ReadyForQuery ended one of the groups sent to this backend (it has already been passed on);
     * {@code failed} when that group saw an ErrorResponse.
     */
    void onReadyForQuery(BackendConnection backend, TransactionStatus status, boolean failed);

    /**
     * The first value answered to a query sent with {@link BackendConnection#sendValueQuery}, or
     * null when it failed or returned nothing.
     */
    default void onInjectedValue(BackendConnection backend, String value) {
    }

    /**
     * The ReadyForQuery of a query the proxy injected arrived ({@code failed}: it saw an error). A
     * connection kept only until such an answer may go back to its pool now.
     */
    default void onInjectedQueryAnswered(BackendConnection backend, boolean failed) {
    }

    /** The channel to the server became writable or stopped being so: client reads follow it. */
    default void onServerWritabilityChanged(BackendConnection backend) {
    }

    /** The end of one read from the server: the moment to flush what was passed on. */
    void onServerReadComplete(BackendConnection backend);

    /** The connection is gone; {@code reason} says why, for the client's error message. */
    void onBackendClosed(BackendConnection backend, String reason);
}
