package io.pgsplit.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Bounds-checked reads for message decoders. Bodies come from untrusted peers, so every short read
 * must surface as a {@link MalformedMessageException} (reported as 08P01), never as an
 * IndexOutOfBoundsException that would look like a proxy bug.
 */
public final class BodyReader {

    private BodyReader() {
    }

    public static byte int8(ByteBuf body, String message) {
        require(body, 1, message);
        return body.readByte();
    }

    /** Reads an Int16 the protocol treats as a count, so it is unsigned (0..65535) as in PostgreSQL. */
    public static int uint16(ByteBuf body, String message) {
        require(body, 2, message);
        return body.readUnsignedShort();
    }

    public static int int32(ByteBuf body, String message) {
        require(body, 4, message);
        return body.readInt();
    }

    public static byte[] bytes(ByteBuf body, int length, String message) {
        if (length < 0) {
            throw new MalformedMessageException(message + ": negative length " + length);
        }
        require(body, length, message);
        byte[] bytes = ByteBufUtil.getBytes(body, body.readerIndex(), length);
        body.skipBytes(length);
        return bytes;
    }

    public static byte[] remaining(ByteBuf body) {
        byte[] bytes = ByteBufUtil.getBytes(body);
        body.skipBytes(bytes.length);
        return bytes;
    }

    /**
     * Rejects a count whose elements cannot fit in what is left, before anything is allocated for
     * them: a 4-byte count must not make the proxy reserve gigabytes.
     */
    public static void requireElements(ByteBuf body, int count, int minElementSize, String message) {
        if (count < 0 || (long) count * minElementSize > body.readableBytes()) {
            throw new MalformedMessageException(message + ": " + count + " elements do not fit in the message");
        }
    }

    /** PostgreSQL rejects trailing bytes (pq_getmsgend), and so do we: they mean the peer disagrees on the layout. */
    public static void requireEnd(ByteBuf body, String message) {
        if (body.isReadable()) {
            throw new MalformedMessageException(message + ": " + body.readableBytes() + " unexpected trailing bytes");
        }
    }

    private static void require(ByteBuf body, int length, String message) {
        if (body.readableBytes() < length) {
            throw new MalformedMessageException(message + ": insufficient data left in message");
        }
    }
}
