package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;

/** Stands in for CommandComplete when the query string was empty. */
public final class EmptyQueryResponse {

    private EmptyQueryResponse() {
    }

    public static ByteBuf encode(ByteBufAllocator allocator) {
        return MessageWriter.encodeEmpty(allocator, MessageTypes.EMPTY_QUERY_RESPONSE);
    }

    public static void encode(ByteBuf out) {
        MessageWriter.writeEmpty(out, MessageTypes.EMPTY_QUERY_RESPONSE);
    }
}
