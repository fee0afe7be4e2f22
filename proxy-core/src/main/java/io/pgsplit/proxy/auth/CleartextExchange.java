package io.pgsplit.proxy.auth;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.protocol.auth.Md5Password;
import io.pgsplit.protocol.auth.ScramLoginKeys;
import io.pgsplit.protocol.backend.AuthenticationCleartextPassword;
import io.pgsplit.protocol.frontend.PasswordMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Cleartext password authentication (sensible only over TLS or on trusted networks, as in PostgreSQL), against any
 * kind of secret. Against a SCRAM verifier the password is run through the verifier's key derivation off the event
 * loop; the servers then get the derived keys, and against an md5 hash the hash, never the password itself.
 */
final class CleartextExchange implements ClientAuthExchange {
    private final String user;
    private final UserSecret secret; // null for an unknown user
    private final Executor slowWork;

    CleartextExchange(String user, UserSecret secret, Executor slowWork) {
        this.user = user;
        this.secret = secret;
        this.slowWork = slowWork;
    }

    @Override
    public ByteBuf start(ByteBufAllocator alloc) {
        return new AuthenticationCleartextPassword().encode(alloc);
    }

    @Override
    public AuthStep onPasswordMessage(ByteBuf body, ByteBufAllocator alloc) {
        String given = PasswordMessage.decode(body).password();
        if (secret instanceof UserSecret.Plain plain) {
            return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), plain.password().getBytes(StandardCharsets.UTF_8))
                    ? new AuthStep.Success(null, secret.storedLogin(user)) : mismatch();
        }
        if (secret instanceof UserSecret.Md5 md5) {
            String hash = Md5Password.hash(user, given);
            return MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII), md5.hash().getBytes(StandardCharsets.US_ASCII))
                    ? new AuthStep.Success(null, secret.storedLogin(user)) : mismatch();
        }
        if (secret instanceof UserSecret.Scram scram) {
            return new AuthStep.Pending(CompletableFuture.supplyAsync(() -> {
                ScramLoginKeys keys = ScramLoginKeys.fromPassword(given, scram.verifier());
                return keys.matches(scram.verifier()) ? new AuthStep.Success(null, new ServerLogin.Scram(keys)) : mismatch();
            }, slowWork));
        }
        return mismatch();
    }

    private static AuthStep mismatch() {
        return new AuthStep.Failure("password did not match");
    }
}
