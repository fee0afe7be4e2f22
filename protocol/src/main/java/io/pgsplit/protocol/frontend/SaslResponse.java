package io.pgsplit.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.BodyReader;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
import io.pgsplit.protocol.WireMessage;
import java.util.Arrays;

/** The 'p' message answering AuthenticationSASLContinue: the mechanism's next message, the whole body. */
public record SaslResponse(byte[] data) implements WireMessage {

    public SaslResponse {
        data = data.clone();
    }

    public static SaslResponse decode(ByteBuf body) {
        return new SaslResponse(BodyReader.remaining(body));
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public int encodedLength() {
        return 5 + data.length;
    }

    @Override
    public void encode(ByteBuf out) {
        int start = MessageWriter.begin(out, MessageTypes.PASSWORD);
        out.writeBytes(data);
        MessageWriter.finish(out, start);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SaslResponse other && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "SaslResponse[data=" + data.length + " bytes]";
    }
}
