package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
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
        return 9 + SALT_LENGTH;
    }

    @Override
    public void encode(ByteBuf out) {
        int start = MessageWriter.begin(out, MessageTypes.AUTHENTICATION);
        out.writeInt(CODE);
        out.writeBytes(salt);
        MessageWriter.finish(out, start);
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
