package io.pgsplit.proxy.auth;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Records what each exchange's outcome teaches: on success, the login the servers get for the user (SCRAM keys the
 * client proved); on failure, that a looked-up secret may be stale (the next login looks it up again).
 */
final class RememberingExchange implements ClientAuthExchange {
    private final ClientAuthExchange delegate;
    private final String user;
    private final UserSecret secret;
    private final ServerLogins logins;
    private final Runnable onFailure;

    RememberingExchange(ClientAuthExchange delegate, String user, UserSecret secret, ServerLogins logins, Runnable onFailure) {
        this.delegate = delegate;
        this.user = user;
        this.secret = secret;
        this.logins = logins;
        this.onFailure = onFailure;
    }

    @Override
    public ByteBuf start(ByteBufAllocator alloc) {
        return delegate.start(alloc);
    }

    @Override
    public AuthStep onPasswordMessage(ByteBuf body, ByteBufAllocator alloc) {
        return learn(delegate.onPasswordMessage(body, alloc));
    }

    private AuthStep learn(AuthStep step) {
        if (step instanceof AuthStep.Success success && secret != null) {
            logins.remember(user, secret, success.login());
        } else if (step instanceof AuthStep.Failure) {
            onFailure.run();
        } else if (step instanceof AuthStep.Pending pending) {
            return new AuthStep.Pending(pending.outcome().thenApply(this::learn));
        }
        return step;
    }
}
