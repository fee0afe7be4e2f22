package io.pgsplit.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;

/** Asks the server to send what it has buffered without ending the batch. */
public final class Flush {

    private Flush() {
    }

    public static ByteBuf encode(ByteBufAllocator allocator) {
        return MessageWriter.encodeEmpty(allocator, MessageTypes.FLUSH);
    }

    public static void encode(ByteBuf out) {
        MessageWriter.writeEmpty(out, MessageTypes.FLUSH);
    }
}
