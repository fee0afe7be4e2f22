package io.pgsplit.protocol.auth;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * What a SCRAM-SHA-256 client needs to log in without the password: the salt and iteration count of the role's
 * verifier, the ClientKey and the ServerKey. A proxy learns the ClientKey from a client's proof
 * ({@code ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage)}), which is how PgBouncer logs in to servers
 * without a plain-text password. The ClientKey is as good as the password for SCRAM logins: never log it.
 */
public final class ScramLoginKeys {
    private final byte[] salt;
    private final int iterations;
    private final byte[] clientKey;
    private final byte[] serverKey;

    ScramLoginKeys(byte[] salt, int iterations, byte[] clientKey, byte[] serverKey) {
        this.salt = salt.clone();
        this.iterations = iterations;
        this.clientKey = clientKey.clone();
        this.serverKey = serverKey.clone();
    }

    /** Derives the keys from a password (4096 PBKDF2 rounds for PostgreSQL's default: keep it off event loops). */
    public static ScramLoginKeys fromPassword(String password, String verifier) {
        ScramKeys keys = ScramKeys.parse(verifier);
        byte[] saltedPassword = ScramCrypto.saltedPassword(password, keys.salt, keys.iterations);
        return new ScramLoginKeys(keys.salt, keys.iterations, ScramCrypto.clientKey(saltedPassword),
                ScramCrypto.serverKey(saltedPassword));
    }

    /** True when these keys belong to {@code verifier}: H(ClientKey) is its StoredKey and the rest matches. */
    public boolean matches(String verifier) {
        ScramKeys keys = ScramKeys.parse(verifier);
        return keys.iterations == iterations && Arrays.equals(keys.salt, salt)
                && MessageDigest.isEqual(ScramCrypto.sha256(clientKey), keys.storedKey)
                && MessageDigest.isEqual(keys.serverKey, serverKey);
    }

    byte[] salt() {
        return salt.clone();
    }

    int iterations() {
        return iterations;
    }

    byte[] clientKey() {
        return clientKey.clone();
    }

    byte[] serverKey() {
        return serverKey.clone();
    }

    boolean sameSaltAndIterations(byte[] otherSalt, int otherIterations) {
        return otherIterations == iterations && Arrays.equals(otherSalt, salt);
    }

    /** Keeps the keys out of logs. */
    @Override
    public String toString() {
        return "ScramLoginKeys[iterations=" + iterations + "]";
    }
}
