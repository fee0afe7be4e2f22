package io.pgsplit.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/** PostgreSQL's MD5 password method: "md5" + md5hex(md5hex(password + user) + salt). */
public final class Md5Password {
    private Md5Password() {
    }

    private static final String PREFIX = "md5";
    private static final int HASH_LENGTH = PREFIX.length() + 32;

    /** The PasswordMessage a client sends for AuthenticationMD5Password with this salt. */
    public static String encode(String user, String password, byte[] salt) {
        return encodeFromHash(hash(user, password), salt);
    }

    /** What pg_authid stores for md5: "md5" + md5hex(password + user). */
    public static String hash(String user, String password) {
        return PREFIX + md5Hex(password.getBytes(StandardCharsets.UTF_8), user.getBytes(StandardCharsets.UTF_8));
    }

    /** The md5 answer computed from the stored hash alone, as PgBouncer does: the hash is all md5 needs. */
    public static String encodeFromHash(String storedHash, byte[] salt) {
        return PREFIX + md5Hex(storedHash.substring(PREFIX.length()).getBytes(StandardCharsets.US_ASCII), salt);
    }

    /** True for a string PostgreSQL would read as an md5 hash: "md5" and 32 lower-case hex digits. */
    public static boolean isHash(String secret) {
        if (secret.length() != HASH_LENGTH || !secret.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < HASH_LENGTH; i++) {
            char c = secret.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** Checks a client's md5 answer against a stored hash, in constant time. */
    public static boolean matchesHash(String storedHash, byte[] salt, String clientResponse) {
        byte[] expected = encodeFromHash(storedHash, salt).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, clientResponse.getBytes(StandardCharsets.UTF_8));
    }

    /** Compares in constant time so response timing does not leak how much of the hash matched. */
    public static boolean matches(String user, String password, byte[] salt, String clientResponse) {
        byte[] expected = encode(user, password, salt).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, clientResponse.getBytes(StandardCharsets.UTF_8));
    }

    private static String md5Hex(byte[] first, byte[] second) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(first);
            md5.update(second);
            return HexFormat.of().formatHex(md5.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JRE provides MD5", e);
        }
    }
}
