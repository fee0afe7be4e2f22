package io.pgsplit.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.BodyReader;
import io.pgsplit.protocol.CStrings;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
import io.pgsplit.protocol.WireMessage;
import java.util.Objects;

/** Closes a statement or portal ({@link TargetKind}); closing one that does not exist is not an error. */
public record Close(byte kind, String name) implements WireMessage {

    public Close {
        TargetKind.requireValid(kind);
        Objects.requireNonNull(name, "name");
    }

    public static Close decode(ByteBuf body) {
        byte kind = TargetKind.requireDecoded(BodyReader.int8(body, "Close"), "Close");
        String name = CStrings.read(body);
        BodyReader.requireEnd(body, "Close");
        return new Close(kind, name);
    }

    @Override
    public int encodedLength() {
        return 5 + 1 + CStrings.encodedLength(name);
    }

    @Override
    public void encode(ByteBuf out) {
        int start = MessageWriter.begin(out, MessageTypes.CLOSE);
        out.writeByte(kind);
        CStrings.write(out, name);
        MessageWriter.finish(out, start);
    }
}
