package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
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
        return 9 + data.length;
    }

    @Override
    public void encode(ByteBuf out) {
        int start = MessageWriter.begin(out, MessageTypes.AUTHENTICATION);
        out.writeInt(CODE);
        out.writeBytes(data);
        MessageWriter.finish(out, start);
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
