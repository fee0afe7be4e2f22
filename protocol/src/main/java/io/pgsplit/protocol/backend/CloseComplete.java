package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;

/** Close succeeded (also when there was nothing to close). */
public final class CloseComplete {

    private CloseComplete() {
    }

    public static ByteBuf encode(ByteBufAllocator allocator) {
        return MessageWriter.encodeEmpty(allocator, MessageTypes.CLOSE_COMPLETE);
    }

    public static void encode(ByteBuf out) {
        MessageWriter.writeEmpty(out, MessageTypes.CLOSE_COMPLETE);
    }
}
