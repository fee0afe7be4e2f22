package io.pgsplit.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Writes typed-message headers. The length is patched after the body is written, measured from the
 * message's own start, so the wire stays right even when the buffer already holds earlier messages
 * and does not depend on any size estimate being correct.
 */
public final class MessageWriter {

    private MessageWriter() {
    }

    /** Writes the type byte and a length placeholder; returns the message start for {@link #finish}. */
    public static int begin(ByteBuf out, byte type) {
        int start = out.writerIndex();
        out.writeByte(type);
        out.writeInt(0);
        return start;
    }

    /** Sets the length field of the message begun at {@code start}: everything after the type byte. */
    public static void finish(ByteBuf out, int start) {
        out.setInt(start + 1, out.writerIndex() - start - 1);
    }

    /** Appends a message that has no body (Sync, ParseComplete, ...). */
    public static void writeEmpty(ByteBuf out, byte type) {
        out.writeByte(type);
        out.writeInt(4);
    }

    /** Encodes a message that has no body into a new buffer owned by the caller. */
    public static ByteBuf encodeEmpty(ByteBufAllocator allocator, byte type) {
        ByteBuf out = allocator.buffer(MessageFraming.HEADER_LENGTH);
        writeEmpty(out, type);
        return out;
    }
}
