package io.pgsplit.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.WireMessage;

/** Closes a statement or portal ({@link TargetKind}); closing one that does not exist is not an error. */
public record Close(byte kind, String name) implements WireMessage {

    public Close {
        TargetMessages.requireValid(kind, name);
    }

    public static Close decode(ByteBuf body) {
        return TargetMessages.decode(body, "Close", Close::new);
    }

    @Override
    public int encodedLength() {
        return TargetMessages.encodedLength(name);
    }

    @Override
    public void encode(ByteBuf out) {
        TargetMessages.encode(out, MessageTypes.CLOSE, kind, name);
    }
}
