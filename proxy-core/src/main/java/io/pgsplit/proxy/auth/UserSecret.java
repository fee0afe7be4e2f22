package io.pgsplit.proxy.auth;

import io.pgsplit.protocol.auth.Md5Password;
import io.pgsplit.protocol.auth.ScramVerifiers;
import java.security.SecureRandom;

/**
 * A user's secret as pgsplit holds it for checking clients: a plain-text password (with a SCRAM verifier derived from
 * it once), a SCRAM verifier as in pg_authid, or an md5 hash as in pg_authid. Read the PostgreSQL way: a string of
 * "md5" and 32 hex digits is a hash, as {@code CREATE ROLE … PASSWORD} would take it.
 */
public sealed interface UserSecret {
    String SCRAM_VERIFIER_PREFIX = "SCRAM-SHA-256$";

    /** The verifier to run a SCRAM exchange against, or null when this secret cannot check SCRAM logins (md5). */
    String scramVerifier();

    /** What a server gets from this secret before any client proved anything. */
    ServerLogin storedLogin(String user);

    record Plain(String password, String derivedVerifier) implements UserSecret {
        @Override
        public String scramVerifier() {
            return derivedVerifier;
        }

        @Override
        public ServerLogin storedLogin(String user) {
            return new ServerLogin.Password(password);
        }

        @Override
        public String toString() {
            return "Plain[***]";
        }
    }

    record Scram(String verifier) implements UserSecret {
        @Override
        public String scramVerifier() {
            return verifier;
        }

        @Override
        public ServerLogin storedLogin(String user) {
            return ServerLogin.fromStoredSecret(user, verifier);
        }

        @Override
        public String toString() {
            return "Scram[***]";
        }
    }

    record Md5(String hash) implements UserSecret {
        @Override
        public String scramVerifier() {
            return null;
        }

        @Override
        public ServerLogin storedLogin(String user) {
            return new ServerLogin.Md5Hash(hash);
        }

        @Override
        public String toString() {
            return "Md5[***]";
        }
    }

    static boolean isScramVerifier(String secret) {
        return secret.startsWith(SCRAM_VERIFIER_PREFIX);
    }

    /** Reads a secret only to log in with it: a plain-text password gets no verifier (nothing is derived). */
    static UserSecret stored(String secret) {
        if (isScramVerifier(secret)) {
            return new Scram(secret);
        }
        return Md5Password.isHash(secret) ? new Md5(secret) : new Plain(secret, null);
    }

    /** Reads a configured or looked-up secret; a plain-text password costs one key derivation: keep it off event loops. */
    static UserSecret of(String secret, SecureRandom random) {
        if (isScramVerifier(secret)) {
            return new Scram(secret);
        }
        if (Md5Password.isHash(secret)) {
            return new Md5(secret);
        }
        return new Plain(secret, ScramVerifiers.create(secret, random));
    }
}
