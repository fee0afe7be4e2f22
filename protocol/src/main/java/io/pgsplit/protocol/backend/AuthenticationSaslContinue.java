package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/** A SASL challenge (for SCRAM, the server-first-message), answered with a SASLResponse. */
public record AuthenticationSaslContinue(byte[] data) implements AuthenticationMessage {
    public static final int CODE = 11;

    public AuthenticationSaslContinue {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int encodedLength() {
        return AuthenticationEncoding.encodedLength(data);
    }

    @Override
    public void encode(ByteBuf out) {
        AuthenticationEncoding.encode(out, CODE, data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthenticationSaslContinue other && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "AuthenticationSaslContinue[data=" + data.length + " bytes]";
    }
}
