package io.pgsplit.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;

/** Announces a clean disconnect; a pooled server connection must never see a client's Terminate. */
public final class Terminate {

    private Terminate() {
    }

    public static ByteBuf encode(ByteBufAllocator allocator) {
        return MessageWriter.encodeEmpty(allocator, MessageTypes.TERMINATE);
    }

    public static void encode(ByteBuf out) {
        MessageWriter.writeEmpty(out, MessageTypes.TERMINATE);
    }
}
