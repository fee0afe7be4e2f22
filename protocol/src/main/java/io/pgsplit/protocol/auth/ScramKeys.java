package io.pgsplit.protocol.auth;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a SCRAM server needs to know about a password, and exactly what PostgreSQL stores in
 * pg_authid.rolpassword: salt, iteration count, StoredKey and ServerKey. Holding these instead of the
 * password means a leaked proxy config does not reveal it.
 */
final class ScramKeys {
    private static final Pattern VERIFIER = Pattern.compile("SCRAM-SHA-256\\$(\\d+):([^$:]+)\\$([^$:]+):([^$:]+)");
    private static final int KEY_LENGTH = 32;

    final byte[] salt;
    final int iterations;
    final byte[] storedKey;
    final byte[] serverKey;

    private ScramKeys(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
        this.salt = salt;
        this.iterations = iterations;
        this.storedKey = storedKey;
        this.serverKey = serverKey;
    }

    static ScramKeys fromPassword(String password, byte[] salt, int iterations) {
        byte[] saltedPassword = ScramCrypto.saltedPassword(password, salt, iterations);
        return new ScramKeys(salt.clone(), iterations,
                ScramCrypto.sha256(ScramCrypto.clientKey(saltedPassword)), ScramCrypto.serverKey(saltedPassword));
    }

    /** Parses "SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey"; the message never echoes the secret. */
    static ScramKeys parse(String verifier) {
        Matcher matcher = VERIFIER.matcher(verifier);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a SCRAM-SHA-256 verifier (expected SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>)");
        }
        try {
            int iterations = Integer.parseInt(matcher.group(1));
            byte[] salt = Base64.getDecoder().decode(matcher.group(2));
            byte[] storedKey = Base64.getDecoder().decode(matcher.group(3));
            byte[] serverKey = Base64.getDecoder().decode(matcher.group(4));
            if (iterations <= 0 || salt.length == 0 || storedKey.length != KEY_LENGTH || serverKey.length != KEY_LENGTH) {
                throw new IllegalArgumentException("SCRAM-SHA-256 verifier has an invalid iteration count, salt or key length");
            }
            return new ScramKeys(salt, iterations, storedKey, serverKey);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SCRAM-SHA-256 verifier iteration count is out of range");
        }
    }

    String verifier() {
        return "SCRAM-SHA-256$" + iterations + ":" + ScramCrypto.base64(salt)
                + "$" + ScramCrypto.base64(storedKey) + ":" + ScramCrypto.base64(serverKey);
    }
}
