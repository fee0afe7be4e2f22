package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.BodyReader;
import io.pgsplit.protocol.CStrings;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
import io.pgsplit.protocol.WireMessage;
import java.util.Objects;

/** A statement finished; the tag names the command ("SELECT 3", "BEGIN", "SET", ...). */
public record CommandComplete(String tag) implements WireMessage {

    public CommandComplete {
        Objects.requireNonNull(tag, "tag");
    }

    public static CommandComplete decode(ByteBuf body) {
        String tag = CStrings.read(body);
        BodyReader.requireEnd(body, "CommandComplete");
        return new CommandComplete(tag);
    }

    @Override
    public int encodedLength() {
        return 5 + CStrings.encodedLength(tag);
    }

    @Override
    public void encode(ByteBuf out) {
        int start = MessageWriter.begin(out, MessageTypes.COMMAND_COMPLETE);
        CStrings.write(out, tag);
        MessageWriter.finish(out, start);
    }
}
