package io.pgsplit.proxy.auth;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.protocol.backend.AuthenticationCleartextPassword;
import io.pgsplit.protocol.frontend.PasswordMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Cleartext password authentication; only sensible on trusted networks, as in PostgreSQL. */
final class CleartextExchange implements ClientAuthExchange {
    private final String password; // null for an unknown user

    CleartextExchange(String password) {
        this.password = password;
    }

    @Override
    public ByteBuf start(ByteBufAllocator alloc) {
        return new AuthenticationCleartextPassword().encode(alloc);
    }

    @Override
    public AuthStep onPasswordMessage(ByteBuf body, ByteBufAllocator alloc) {
        String given = PasswordMessage.decode(body).password();
        if (password != null && MessageDigest.isEqual(
                given.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8))) {
            return new AuthStep.Success(null);
        }
        return new AuthStep.Failure("password did not match");
    }
}
