package io.pgsplit.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/** PostgreSQL's MD5 password method: "md5" + md5hex(md5hex(password + user) + salt). */
public final class Md5Password {
    private Md5Password() {
    }

    /** The PasswordMessage a client sends for AuthenticationMD5Password with this salt. */
    public static String encode(String user, String password, byte[] salt) {
        String inner = md5Hex(password.getBytes(StandardCharsets.UTF_8), user.getBytes(StandardCharsets.UTF_8));
        return "md5" + md5Hex(inner.getBytes(StandardCharsets.US_ASCII), salt);
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
