package io.pgsplit.proxy.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Expected wire bytes spelled out from the protocol documentation, compared as hex dumps. */
final class WireBytes {
    static final byte NUL = 0;

    private WireBytes() {
    }

    /** Character or Byte: one byte; Short: Int16; Integer: Int32; String: its UTF-8 bytes (add {@link #NUL}). */
    static byte[] wire(Object... parts) {
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
            } else {
                throw new IllegalArgumentException("unsupported fixture part " + part);
            }
        }
        return out.toByteArray();
    }

    static void assertSameBytes(ByteBuf actual, byte[] expected) {
        ByteBuf wrapped = Unpooled.wrappedBuffer(expected);
        try {
            assertThat(ByteBufUtil.prettyHexDump(actual)).as("wire bytes").isEqualTo(ByteBufUtil.prettyHexDump(wrapped));
        } finally {
            wrapped.release();
        }
    }
}
