package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Encodes rows of text values (null for SQL NULL) to go with {@link RowDescription#encodeTextColumns}. */
public final class DataRow {

    private DataRow() {
    }

    public static ByteBuf encodeText(ByteBufAllocator allocator, List<String> values) {
        int length = 5 + 2;
        for (String value : values) {
            length += 4 + (value == null ? 0 : ByteBufUtil.utf8Bytes(value));
        }
        ByteBuf out = allocator.buffer(length);
        try {
            encodeText(out, values);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    public static void encodeText(ByteBuf out, List<String> values) {
        if (values.size() > Short.MAX_VALUE) {
            throw new IllegalArgumentException("too many columns: " + values.size());
        }
        int start = MessageWriter.begin(out, MessageTypes.DATA_ROW);
        out.writeShort(values.size());
        for (String value : values) {
            if (value == null) {
                out.writeInt(-1);
            } else {
                int lengthIndex = out.writerIndex();
                out.writeInt(0);
                int written = out.writeCharSequence(value, StandardCharsets.UTF_8);
                out.setInt(lengthIndex, written);
            }
        }
        MessageWriter.finish(out, start);
    }
}
