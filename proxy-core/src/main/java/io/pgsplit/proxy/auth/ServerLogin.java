package io.pgsplit.proxy.auth;

import io.pgsplit.protocol.auth.ScramLoginKeys;
import java.util.Objects;

/**
 * What pgsplit presents to a server when it logs in as a user. Only {@link Password} is a plain-text password; the
 * others are what a client proved (SCRAM keys) or what pg_authid holds (an md5 hash), enough for the one method each
 * serves. {@link None} leaves it to the server to trust the connection (trust, or a TLS client certificate).
 */
public sealed interface ServerLogin {

    /** A plain-text password from the configuration: answers cleartext, md5 and SCRAM. */
    record Password(String password) implements ServerLogin {
        public Password {
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Password[***]";
        }
    }

    /** An md5 hash ("md5" + md5hex(password + user)): answers md5 only. */
    record Md5Hash(String hash) implements ServerLogin {
        public Md5Hash {
            Objects.requireNonNull(hash, "hash");
        }

        @Override
        public String toString() {
            return "Md5Hash[***]";
        }
    }

    /** The ClientKey and ServerKey a client proved through SCRAM: answers SCRAM-SHA-256 for the same verifier. */
    record Scram(ScramLoginKeys keys) implements ServerLogin {
        public Scram {
            Objects.requireNonNull(keys, "keys");
        }
    }

    /** No secret known: only a server that asks for none (trust, cert) lets this login in. */
    record None(String why) implements ServerLogin {
    }

    /** What a server needs from a configured or looked-up secret, before any client has proved anything. */
    static ServerLogin fromStoredSecret(String user, String secret) {
        if (secret == null || secret.isEmpty()) {
            return new None("pgsplit has no password for user \"" + user + "\"");
        }
        if (UserSecret.isScramVerifier(secret)) {
            return new None("pgsplit has only a SCRAM verifier for user \"" + user
                    + "\" and learns its keys when a client of that user logs in with SCRAM");
        }
        if (io.pgsplit.protocol.auth.Md5Password.isHash(secret)) {
            return new Md5Hash(secret);
        }
        return new Password(secret);
    }
}
