package io.pgsplit.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.BodyReader;
import io.pgsplit.protocol.CStrings;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
import io.pgsplit.protocol.WireMessage;
import java.util.Objects;

/** Asks for the description of a statement or portal ({@link TargetKind}). */
public record Describe(byte kind, String name) implements WireMessage {

    public Describe {
        TargetKind.requireValid(kind);
        Objects.requireNonNull(name, "name");
    }

    public static Describe decode(ByteBuf body) {
        byte kind = TargetKind.requireDecoded(BodyReader.int8(body, "Describe"), "Describe");
        String name = CStrings.read(body);
        BodyReader.requireEnd(body, "Describe");
        return new Describe(kind, name);
    }

    @Override
    public int encodedLength() {
        return 5 + 1 + CStrings.encodedLength(name);
    }

    @Override
    public void encode(ByteBuf out) {
        int start = MessageWriter.begin(out, MessageTypes.DESCRIBE);
        out.writeByte(kind);
        CStrings.write(out, name);
        MessageWriter.finish(out, start);
    }
}
