package io.pgsplit.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.BodyReader;
import io.pgsplit.protocol.CStrings;
import io.pgsplit.protocol.MalformedMessageException;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
import io.pgsplit.protocol.WireMessage;
import java.util.Arrays;
import java.util.Objects;

/**
 * The 'p' message answering AuthenticationSASL: the chosen mechanism and its first message
 * ({@code data} is null when the client sent length -1, i.e. no initial response).
 */
public record SaslInitialResponse(String mechanism, byte[] data) implements WireMessage {

    public SaslInitialResponse {
        Objects.requireNonNull(mechanism, "mechanism");
        data = data == null ? null : data.clone();
    }

    public static SaslInitialResponse decode(ByteBuf body) {
        String mechanism = CStrings.read(body);
        int length = BodyReader.int32(body, "SASLInitialResponse");
        if (length < -1) {
            throw new MalformedMessageException("SASLInitialResponse: invalid data length " + length);
        }
        byte[] data = length == -1 ? null : BodyReader.bytes(body, length, "SASLInitialResponse");
        BodyReader.requireEnd(body, "SASLInitialResponse");
        return new SaslInitialResponse(mechanism, data);
    }

    @Override
    public byte[] data() {
        return data == null ? null : data.clone();
    }

    @Override
    public int encodedLength() {
        return 5 + CStrings.encodedLength(mechanism) + 4 + (data == null ? 0 : data.length);
    }

    @Override
    public void encode(ByteBuf out) {
        int start = MessageWriter.begin(out, MessageTypes.PASSWORD);
        CStrings.write(out, mechanism);
        if (data == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(data.length);
            out.writeBytes(data);
        }
        MessageWriter.finish(out, start);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SaslInitialResponse other && mechanism.equals(other.mechanism) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * mechanism.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "SaslInitialResponse[mechanism=" + mechanism + ", data=" + (data == null ? "none" : data.length + " bytes") + "]";
    }
}
