package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/** The SASL outcome data (for SCRAM, the server-final-message); AuthenticationOk follows. */
public record AuthenticationSaslFinal(byte[] data) implements AuthenticationMessage {
    public static final int CODE = 12;

    public AuthenticationSaslFinal {
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
        return o instanceof AuthenticationSaslFinal other && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "AuthenticationSaslFinal[data=" + data.length + " bytes]";
    }
}
