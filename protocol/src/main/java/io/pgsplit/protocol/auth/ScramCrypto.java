package io.pgsplit.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The SCRAM-SHA-256 primitives of RFC 5802 section 3, with PostgreSQL's sizes. */
final class ScramCrypto {
    static final int ITERATIONS = 4096;
    static final int SALT_LENGTH = 16;
    /**
     * Longest nonce part accepted from a peer. libpq, pgjdbc and PostgreSQL send 24 characters; the
     * peer's nonce is echoed into messages and signed, so without a bound one message could make the
     * other side build and hash strings as long as the largest frame it takes.
     */
    static final int MAX_NONCE_LENGTH = 1024;
    /** Random bytes per nonce half; base64 makes them 24 printable characters, as libpq and the server send. */
    private static final int NONCE_RANDOM_BYTES = 18;
    private static final String HMAC = "HmacSHA256";

    private ScramCrypto() {
    }

    /**
     * SCRAM messages are handled as ISO-8859-1 text, which maps each byte to one char and back: the
     * AuthMessage we sign is then byte-for-byte what the peer signed, even if its user name is not UTF-8.
     */
    static String text(byte[] message) {
        return new String(message, StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String message) {
        return message.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] hmac(byte[] key, String message) {
        return newMac(key).doFinal(bytes(message));
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JRE provides SHA-256", e);
        }
    }

    /** Hi(): PBKDF2 with HMAC-SHA-256 and a single output block, over the SASLprep'd password. */
    static byte[] saltedPassword(String password, byte[] salt, int iterations) {
        Mac mac = newMac(SaslPrep.prepare(password).getBytes(StandardCharsets.UTF_8));
        mac.update(salt);
        byte[] u = mac.doFinal(new byte[] {0, 0, 0, 1});
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = mac.doFinal(u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    static byte[] clientKey(byte[] saltedPassword) {
        return hmac(saltedPassword, "Client Key");
    }

    static byte[] serverKey(byte[] saltedPassword) {
        return hmac(saltedPassword, "Server Key");
    }

    static byte[] xor(byte[] a, byte[] b) {
        byte[] result = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            result[i] = (byte) (a[i] ^ b[i]);
        }
        return result;
    }

    static byte[] randomBytes(SecureRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    static String nonce(SecureRandom random) {
        return base64(randomBytes(random, NONCE_RANDOM_BYTES));
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static byte[] unbase64(String value, String attribute) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new ScramException("malformed SCRAM message: invalid base64 in " + attribute);
        }
    }

    private static Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            // SecretKeySpec refuses an empty key; HMAC zero-pads keys to its block size, so one zero byte is the same key.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, HMAC));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JRE provides " + HMAC, e);
        }
    }
}
