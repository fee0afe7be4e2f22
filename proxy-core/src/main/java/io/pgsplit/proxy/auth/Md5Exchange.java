package io.pgsplit.proxy.auth;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.protocol.auth.Md5Password;
import io.pgsplit.protocol.backend.AuthenticationMd5Password;
import io.pgsplit.protocol.frontend.PasswordMessage;

/**
 * md5 password authentication with a fresh random salt per connection, against a plain-text password or the md5
 * hash pg_authid holds; with a hash, the servers get the same hash (md5 needs nothing more).
 */
final class Md5Exchange implements ClientAuthExchange {
    private final String user;
    private final UserSecret secret; // null for an unknown user
    private final byte[] salt;

    Md5Exchange(String user, UserSecret secret, byte[] salt) {
        this.user = user;
        this.secret = secret;
        this.salt = salt;
    }

    @Override
    public ByteBuf start(ByteBufAllocator alloc) {
        return new AuthenticationMd5Password(salt).encode(alloc);
    }

    @Override
    public AuthStep onPasswordMessage(ByteBuf body, ByteBufAllocator alloc) {
        String response = PasswordMessage.decode(body).password();
        if (secret instanceof UserSecret.Plain plain && Md5Password.matches(user, plain.password(), salt, response)
                || secret instanceof UserSecret.Md5 md5 && Md5Password.matchesHash(md5.hash(), salt, response)) {
            return new AuthStep.Success(null, secret.storedLogin(user));
        }
        return new AuthStep.Failure("md5 response did not match");
    }
}
