package io.pgsplit.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.WireMessage;

/** Asks for the description of a statement or portal ({@link TargetKind}). */
public record Describe(byte kind, String name) implements WireMessage {

    public Describe {
        TargetMessages.requireValid(kind, name);
    }

    public static Describe decode(ByteBuf body) {
        return TargetMessages.decode(body, "Describe", Describe::new);
    }

    @Override
    public int encodedLength() {
        return TargetMessages.encodedLength(name);
    }

    @Override
    public void encode(ByteBuf out) {
        TargetMessages.encode(out, MessageTypes.DESCRIBE, kind, name);
    }
}
