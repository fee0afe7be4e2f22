package io.pgsplit.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Walks typed messages (1 type byte + Int32 length incl. itself + body) inside a buffer without
 * copying or allocating, so the proxy can forward most traffic as slices of what it received.
 */
public final class MessageFraming {
    public static final int HEADER_LENGTH = 5;

    private MessageFraming() {
    }

    /**
     * Total length (type + length + body) of the message starting at {@code index} if all of it is
     * within buf's readable bytes, else -1. The size is checked as soon as the header is complete so
     * an oversized message is refused before its body is buffered. Does not move indices.
     *
     * @throws MalformedMessageException if the length field is below 4 (it counts itself)
     * @throws FrameTooLargeException if the whole message would exceed {@code maxMessageSize}
     */
    public static int completeMessageLength(ByteBuf buf, int index, int maxMessageSize) {
        int available = buf.writerIndex() - index;
        if (available < HEADER_LENGTH) {
            return -1;
        }
        int length = buf.getInt(index + 1);
        if (length < 4) {
            throw new MalformedMessageException(
                    String.format("invalid message length %d (type byte 0x%02x)", length, type(buf, index)));
        }
        long total = length + 1L;
        if (total > maxMessageSize) {
            throw new FrameTooLargeException(total, maxMessageSize);
        }
        return available >= total ? (int) total : -1;
    }

    public static byte type(ByteBuf buf, int index) {
        return buf.getByte(index);
    }

    /** Slice after the header of a buffer holding exactly one message; shares memory and is not retained. */
    public static ByteBuf body(ByteBuf message) {
        if (message.readableBytes() < HEADER_LENGTH) {
            throw new MalformedMessageException("message shorter than its " + HEADER_LENGTH + "-byte header");
        }
        return message.slice(message.readerIndex() + HEADER_LENGTH, message.readableBytes() - HEADER_LENGTH);
    }
}
