package io.pgsplit.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.protocol.auth.Md5Password;
import io.pgsplit.protocol.auth.SaltedPasswordCache;
import io.pgsplit.protocol.auth.ScramException;
import io.pgsplit.protocol.auth.ScramSha256Client;
import io.pgsplit.protocol.auth.ScramSha256Server;
import io.pgsplit.protocol.backend.AuthenticationCleartextPassword;
import io.pgsplit.protocol.backend.AuthenticationMd5Password;
import io.pgsplit.protocol.backend.AuthenticationMessage;
import io.pgsplit.protocol.backend.AuthenticationOk;
import io.pgsplit.protocol.backend.AuthenticationSasl;
import io.pgsplit.protocol.backend.AuthenticationSaslContinue;
import io.pgsplit.protocol.backend.AuthenticationSaslFinal;
import io.pgsplit.protocol.backend.AuthenticationUnsupported;
import io.pgsplit.protocol.frontend.PasswordMessage;
import io.pgsplit.protocol.frontend.SaslInitialResponse;
import io.pgsplit.protocol.frontend.SaslResponse;
import io.pgsplit.proxy.auth.ServerLogin;
import java.security.SecureRandom;

/**
 * Answers a server's authentication requests as a client would: trust, cleartext, md5 or SCRAM-SHA-256, with a
 * plain-text password, an md5 hash (md5 only) or SCRAM keys a client proved (SCRAM only).
 */
final class BackendAuthenticator {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String user;
    private final ServerLogin login;
    private final SaltedPasswordCache saltedPasswords;
    private ScramSha256Client scram;

    BackendAuthenticator(String user, ServerLogin login, SaltedPasswordCache saltedPasswords) {
        this.user = user;
        this.login = login;
        this.saltedPasswords = saltedPasswords;
    }

    /**
     * True for the one request whose answer may derive a key (4096 HMAC rounds, about a
     * millisecond): it is answered off the event loop.
     */
    static boolean isSlow(AuthenticationMessage request) {
        return request instanceof AuthenticationSaslContinue;
    }

    /** The reply to send, or null when the request needs none (AuthenticationOk, SASL final). */
    ByteBuf respond(AuthenticationMessage request, ByteBufAllocator alloc) throws BackendStartupException {
        try {
            if (request instanceof AuthenticationOk) {
                return null;
            } else if (request instanceof AuthenticationCleartextPassword) {
                return new PasswordMessage(requirePassword("cleartext")).encode(alloc);
            } else if (request instanceof AuthenticationMd5Password md5) {
                return new PasswordMessage(md5Answer(md5.salt())).encode(alloc);
            } else if (request instanceof AuthenticationSasl sasl) {
                if (!sasl.mechanisms().contains(ScramSha256Server.MECHANISM)) {
                    throw new BackendStartupException("server offers no supported SASL mechanism: " + sasl.mechanisms(), (Throwable) null);
                }
                scram = scramClient();
                return new SaslInitialResponse(ScramSha256Server.MECHANISM, scram.clientFirstMessage()).encode(alloc);
            } else if (request instanceof AuthenticationSaslContinue next) {
                return new SaslResponse(scramInProgress().clientFinalMessage(next.data())).encode(alloc);
            } else if (request instanceof AuthenticationSaslFinal last) {
                scramInProgress().verifyServerFinal(last.data());
                return null;
            } else if (request instanceof AuthenticationUnsupported unsupported) {
                throw new BackendStartupException("server requested unsupported authentication method " + unsupported.code(), (Throwable) null);
            }
            throw new BackendStartupException("unexpected authentication request " + request, (Throwable) null);
        } catch (ScramException e) {
            throw new BackendStartupException("SCRAM exchange with the server failed: " + e.getMessage(), e);
        }
    }

    private ScramSha256Client scramInProgress() throws BackendStartupException {
        if (scram == null) {
            throw new BackendStartupException("server continued a SASL exchange that was never started", (Throwable) null);
        }
        return scram;
    }

    private String md5Answer(byte[] salt) throws BackendStartupException {
        if (login instanceof ServerLogin.Md5Hash hash) {
            return Md5Password.encodeFromHash(hash.hash(), salt);
        }
        return Md5Password.encode(user, requirePassword("md5"), salt);
    }

    private ScramSha256Client scramClient() throws BackendStartupException {
        if (login instanceof ServerLogin.Scram keys) {
            return new ScramSha256Client(keys.keys(), RANDOM);
        }
        return new ScramSha256Client(requirePassword("SCRAM-SHA-256"), RANDOM, saltedPasswords);
    }

    private String requirePassword(String method) throws BackendStartupException {
        if (login instanceof ServerLogin.Password password) {
            return password.password();
        }
        throw new BackendStartupException("server requested " + method + " authentication for user \"" + user
                + "\", which pgsplit cannot answer: " + describe(login), (Throwable) null);
    }

    private static String describe(ServerLogin login) {
        if (login instanceof ServerLogin.Md5Hash) {
            return "it holds only an md5 hash of the password, which answers md5 authentication alone";
        } else if (login instanceof ServerLogin.Scram) {
            return "it holds only SCRAM keys a client proved, which answer SCRAM-SHA-256 alone";
        } else if (login instanceof ServerLogin.None none) {
            return none.why();
        }
        return "no password";
    }
}
