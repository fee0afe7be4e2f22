package io.pgsplit.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Byte-fixture assertions in the spirit of r2dbc-postgresql's FrontendMessageAssert: expected bytes
 * are spelled out by hand from the protocol documentation, and a mismatch fails with both hex dumps
 * so the differing offset is visible at a glance.
 */
public final class WireAssertions {
    public static final byte NUL = 0;
    /** Bytes written before a message to prove lengths are patched relative to the message start. */
    private static final byte[] PREFIX = {(byte) 0xAA, (byte) 0xBB, (byte) 0xCC};

    private WireAssertions() {
    }

    /**
     * Builds wire bytes from readable parts: Character or Byte is one byte, Short an Int16, Integer an
     * Int32 (big-endian), String its UTF-8 bytes without terminator (add {@link #NUL}), byte[] as is.
     */
    public static byte[] wire(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof Character c) {
                out.write(c);
            } else if (part instanceof Byte b) {
                out.write(b);
            } else if (part instanceof Short s) {
                out.write(s >> 8);
                out.write(s);
            } else if (part instanceof Integer i) {
                out.write(i >> 24);
                out.write(i >> 16);
                out.write(i >> 8);
                out.write(i);
            } else if (part instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else if (part instanceof byte[] bytes) {
                out.writeBytes(bytes);
            } else {
                throw new IllegalArgumentException("unsupported fixture part " + part);
            }
        }
        return out.toByteArray();
    }

    /** Checks both encode variants of a message, the appending one at a non-zero writer index, and its length. */
    public static void assertEncodes(WireMessage message, byte[] expected) {
        assertThat(message.encodedLength()).as("encodedLength of %s", message).isEqualTo(expected.length);
        assertEncodes(message::encode, message::encode, expected);
    }

    /** Checks an allocating encoder and an appending encoder (the latter at a non-zero writer index). */
    public static void assertEncodes(Function<ByteBufAllocator, ByteBuf> allocating, Consumer<ByteBuf> appending, byte[] expected) {
        ByteBuf encoded = allocating.apply(ByteBufAllocator.DEFAULT);
        try {
            assertSameBytes(encoded, expected);
        } finally {
            encoded.release();
        }
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer().writeBytes(PREFIX);
        try {
            appending.accept(out);
            assertSameBytes(out.slice(0, PREFIX.length), PREFIX);
            assertSameBytes(out.slice(PREFIX.length, out.writerIndex() - PREFIX.length), expected);
        } finally {
            out.release();
        }
    }

    public static void assertSameBytes(ByteBuf actual, byte[] expected) {
        assertThat(ByteBufUtil.prettyHexDump(actual)).as("wire bytes").isEqualTo(hexDump(expected));
    }

    /**
     * Frames {@code message} (placed after unrelated bytes) with {@link MessageFraming}, checks its type,
     * decodes its body and checks the decoder consumed the whole body.
     */
    public static <T> T decodeMessage(byte[] message, byte expectedType, Function<ByteBuf, T> decoder) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer().writeBytes(PREFIX).writeBytes(message);
        try {
            int length = MessageFraming.completeMessageLength(buf, PREFIX.length, Integer.MAX_VALUE);
            assertThat(length).as("framed length").isEqualTo(message.length);
            assertThat(MessageFraming.type(buf, PREFIX.length)).as("type byte").isEqualTo(expectedType);
            ByteBuf body = MessageFraming.body(buf.slice(PREFIX.length, length));
            T decoded = decoder.apply(body);
            assertThat(body.readableBytes()).as("body bytes left unread").isZero();
            return decoded;
        } finally {
            buf.release();
        }
    }

    /** Decodes a body given directly (no header), for malformed-input tests. */
    public static <T> T decodeBody(byte[] body, Function<ByteBuf, T> decoder) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer().writeBytes(body);
        try {
            return decoder.apply(buf);
        } finally {
            buf.release();
        }
    }

    private static String hexDump(byte[] bytes) {
        ByteBuf wrapped = Unpooled.wrappedBuffer(bytes);
        try {
            return ByteBufUtil.prettyHexDump(wrapped);
        } finally {
            wrapped.release();
        }
    }
}
