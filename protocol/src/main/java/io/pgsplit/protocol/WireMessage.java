package io.pgsplit.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** A message the proxy can write, in either direction. */
public interface WireMessage {

    /** Exact size of the encoded message, so a caller can size one buffer for several messages. */
    int encodedLength();

    /** Appends the whole message (header included) at the writer index of {@code out}. */
    void encode(ByteBuf out);

    /** Encodes into a new buffer owned by the caller. */
    default ByteBuf encode(ByteBufAllocator allocator) {
        ByteBuf out = allocator.buffer(encodedLength());
        try {
            encode(out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }
}
