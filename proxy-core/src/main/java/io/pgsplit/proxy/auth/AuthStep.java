package io.pgsplit.proxy.auth;

import io.netty.buffer.ByteBuf;

/** The outcome of one password message from the client. Any buffer carried is owned by the receiver. */
public sealed interface AuthStep {

    /** Send {@code request} and wait for the next password message. */
    record Continue(ByteBuf request) implements AuthStep {
    }

    /** Authenticated; {@code finalMessage} (may be null) goes out before AuthenticationOk. */
    record Success(ByteBuf finalMessage) implements AuthStep {
    }

    /** Wrong password, unknown user or a broken exchange: answered like PostgreSQL, with 28P01. */
    record Failure(String reason) implements AuthStep {
    }
}
