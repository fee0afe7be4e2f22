package io.pgsplit.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * The protocol's "String" type: bytes up to a NUL terminator, read and written as UTF-8. Invalid
 * sequences decode to U+FFFD instead of failing: decoded strings feed routing and logging, while the
 * original bytes are what gets forwarded.
 */
public final class CStrings {

    private CStrings() {
    }

    /** Reads a string at the reader index and moves the reader index past its terminator. */
    public static String read(ByteBuf buf) {
        int length = buf.bytesBefore((byte) 0);
        if (length < 0) {
            throw new MalformedMessageException("string is missing its terminator");
        }
        String value = buf.toString(buf.readerIndex(), length, StandardCharsets.UTF_8);
        buf.skipBytes(length + 1);
        return value;
    }

    /**
     * The index of the terminator of the string that starts at {@code index}, searching no further than
     * {@code end} (exclusive): for reading fields in place, without a slice or a reader index to move.
     */
    public static int terminatorOf(ByteBuf buf, int index, int end) {
        int terminator = buf.indexOf(index, end, (byte) 0);
        if (terminator < 0) {
            throw new MalformedMessageException("string is missing its terminator");
        }
        return terminator;
    }

    /** Writes the string and its terminator; an embedded NUL would silently cut the field short on the wire. */
    public static void write(ByteBuf buf, String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("protocol strings cannot contain NUL characters");
        }
        buf.writeCharSequence(s, StandardCharsets.UTF_8);
        buf.writeByte(0);
    }

    /** Bytes {@link #write} produces, terminator included. */
    public static int encodedLength(String s) {
        return ByteBufUtil.utf8Bytes(s) + 1;
    }
}
