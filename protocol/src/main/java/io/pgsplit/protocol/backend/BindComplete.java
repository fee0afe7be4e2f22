package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;

/** Bind succeeded. */
public final class BindComplete {

    private BindComplete() {
    }

    public static ByteBuf encode(ByteBufAllocator allocator) {
        return MessageWriter.encodeEmpty(allocator, MessageTypes.BIND_COMPLETE);
    }

    public static void encode(ByteBuf out) {
        MessageWriter.writeEmpty(out, MessageTypes.BIND_COMPLETE);
    }
}
