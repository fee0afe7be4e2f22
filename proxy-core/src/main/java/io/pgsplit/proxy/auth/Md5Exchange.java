package io.pgsplit.proxy.auth;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.protocol.auth.Md5Password;
import io.pgsplit.protocol.backend.AuthenticationMd5Password;
import io.pgsplit.protocol.frontend.PasswordMessage;

/** md5 password authentication with a fresh random salt per connection. */
final class Md5Exchange implements ClientAuthExchange {
    private final String user;
    private final String password; // null for an unknown user
    private final byte[] salt;

    Md5Exchange(String user, String password, byte[] salt) {
        this.user = user;
        this.password = password;
        this.salt = salt;
    }

    @Override
    public ByteBuf start(ByteBufAllocator alloc) {
        return new AuthenticationMd5Password(salt).encode(alloc);
    }

    @Override
    public AuthStep onPasswordMessage(ByteBuf body, ByteBufAllocator alloc) {
        String response = PasswordMessage.decode(body).password();
        if (password != null && Md5Password.matches(user, password, salt, response)) {
            return new AuthStep.Success(null);
        }
        return new AuthStep.Failure("md5 response did not match");
    }
}
