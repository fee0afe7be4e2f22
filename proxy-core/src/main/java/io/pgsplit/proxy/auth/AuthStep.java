package io.pgsplit.proxy.auth;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/** The outcome of one password message from the client. Any buffer carried is owned by the receiver. */
public sealed interface AuthStep {

    /** Send {@code request} and wait for the next password message. */
    record Continue(ByteBuf request) implements AuthStep {
    }

    /**
     * Authenticated; {@code finalMessage} (may be null) goes out before AuthenticationOk, and {@code login} is what
     * pgsplit presents to the servers for this user.
     */
    record Success(ByteBuf finalMessage, ServerLogin login) implements AuthStep {
    }

    /** Wrong password, unknown user or a broken exchange: answered like PostgreSQL, with 28P01. */
    record Failure(String reason) implements AuthStep {
    }

    /**
     * The check needs a key derivation, which runs off the event loop; the outcome follows (never another Pending).
     * The client is not read meanwhile.
     */
    record Pending(CompletableFuture<AuthStep> outcome) implements AuthStep {
    }
}
