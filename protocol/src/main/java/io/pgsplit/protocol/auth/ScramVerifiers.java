package io.pgsplit.protocol.auth;

import java.security.SecureRandom;

/** Builds pg_authid-style SCRAM verifiers, so proxy configs can hold those instead of passwords. */
public final class ScramVerifiers {

    private ScramVerifiers() {
    }

    /**
     * "SCRAM-SHA-256$4096:salt$StoredKey:ServerKey" for a random 16-byte salt, byte-compatible with
     * what PostgreSQL stores. Runs 4096 HMAC iterations: keep it off event loops.
     */
    public static String create(String password, SecureRandom random) {
        byte[] salt = ScramCrypto.randomBytes(random, ScramCrypto.SALT_LENGTH);
        return ScramKeys.fromPassword(password, salt, ScramCrypto.ITERATIONS).verifier();
    }

    /**
     * Checks a pg_authid-style verifier as {@link ScramSha256Server#forVerifier} will read it, iteration
     * count range and key lengths included, so a config can be refused before anything starts.
     *
     * @throws IllegalArgumentException naming what is wrong, never echoing the keys
     */
    public static void check(String verifier) {
        ScramKeys.parse(verifier);
    }
}
