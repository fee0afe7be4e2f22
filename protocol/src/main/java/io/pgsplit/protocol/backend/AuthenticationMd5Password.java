package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/** Asks for "md5" + md5(md5(password + user) + salt) as a PasswordMessage. */
public record AuthenticationMd5Password(byte[] salt) implements AuthenticationMessage {
    public static final int CODE = 5;
    public static final int SALT_LENGTH = 4;

    public AuthenticationMd5Password {
        if (salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("MD5 salt must be " + SALT_LENGTH + " bytes, not " + salt.length);
        }
        salt = salt.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int encodedLength() {
        return AuthenticationEncoding.encodedLength(salt);
    }

    @Override
    public void encode(ByteBuf out) {
        AuthenticationEncoding.encode(out, CODE, salt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthenticationMd5Password other && Arrays.equals(salt, other.salt);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(salt);
    }

    @Override
    public String toString() {
        return "AuthenticationMd5Password[salt=" + Arrays.toString(salt) + "]";
    }
}
