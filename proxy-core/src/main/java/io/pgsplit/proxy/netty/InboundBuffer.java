package io.pgsplit.proxy.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Accumulates the bytes read from one channel until whole messages can be forwarded.
 *
 * <p>Messages are handed on as retained slices of this buffer, so bytes that a slice may still
 * cover are never moved or overwritten: new data is only appended past the writer index, and read
 * bytes are discarded in place only while nobody else holds a reference (the same rule as Netty's
 * {@code ByteToMessageDecoder.MERGE_CUMULATOR}). In the common case a read holds only whole
 * messages and is forwarded without any copy.
 */
public final class InboundBuffer {
    private ByteBuf buffer;

    /** Takes ownership of {@code data}. */
    public void append(ByteBufAllocator alloc, ByteBuf data) {
        if (buffer == null) {
            buffer = data;
            return;
        }
        if (!buffer.isReadable() && buffer.refCnt() == 1) {
            buffer.release();
            buffer = data;
            return;
        }
        try {
            int needed = data.readableBytes();
            boolean exclusive = buffer.refCnt() == 1 && !buffer.isReadOnly();
            if (exclusive && buffer.readerIndex() > 0 && buffer.writableBytes() < needed) {
                buffer.discardReadBytes();
            }
            if (!exclusive || buffer.maxWritableBytes() < needed) {
                buffer = copyInto(alloc, buffer, needed);
            }
            buffer.writeBytes(data);
        } finally {
            data.release();
        }
    }

    private static ByteBuf copyInto(ByteBufAllocator alloc, ByteBuf old, int extra) {
        ByteBuf grown = alloc.ioBuffer(old.readableBytes() + extra);
        grown.writeBytes(old);
        old.release();
        return grown;
    }

    /** The accumulated bytes; indices may be read but only {@link #skip} and {@link #takeSlice} consume. */
    public ByteBuf buffer() {
        return buffer;
    }

    public int readableBytes() {
        return buffer == null ? 0 : buffer.readableBytes();
    }

    public int readerIndex() {
        return buffer.readerIndex();
    }

    /**
     * Returns the next {@code length} bytes, owned by the caller, and consumes them: a retained slice, or the
     * buffer itself when they are all it holds (the common case: one read, whole messages), which saves the
     * slice object and two reference-count updates. Either way the caller reads from its reader index.
     */
    public ByteBuf takeSlice(int length) {
        if (length == buffer.readableBytes()) {
            ByteBuf whole = buffer;
            buffer = null;
            return whole;
        }
        ByteBuf slice = buffer.retainedSlice(buffer.readerIndex(), length);
        buffer.skipBytes(length);
        compactIfDrained();
        return slice;
    }

    /** Consumes {@code length} bytes without forwarding them. */
    public void skip(int length) {
        buffer.skipBytes(length);
        compactIfDrained();
    }

    private void compactIfDrained() {
        if (!buffer.isReadable()) {
            buffer.release();
            buffer = null;
        }
    }

    public void release() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }
}
