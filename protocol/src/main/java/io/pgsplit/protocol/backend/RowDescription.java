package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.protocol.CStrings;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
import java.util.List;

/**
 * Encodes the row descriptions of result sets the proxy produces itself (SHOW pgsplit.*). All columns
 * are text in text format, which every client can display without knowing anything else.
 */
public final class RowDescription {
    public static final int TEXT_OID = 25;
    /** Per column after its name: table OID, attribute number, type OID, type size, type modifier, format. */
    private static final int FIELD_FIXED_LENGTH = 4 + 2 + 4 + 2 + 4 + 2;

    private RowDescription() {
    }

    public static ByteBuf encodeTextColumns(ByteBufAllocator allocator, List<String> names) {
        int length = 5 + 2;
        for (String name : names) {
            length += CStrings.encodedLength(name) + FIELD_FIXED_LENGTH;
        }
        ByteBuf out = allocator.buffer(length);
        try {
            encodeTextColumns(out, names);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    public static void encodeTextColumns(ByteBuf out, List<String> names) {
        if (names.size() > Short.MAX_VALUE) {
            throw new IllegalArgumentException("too many columns: " + names.size());
        }
        int start = MessageWriter.begin(out, MessageTypes.ROW_DESCRIPTION);
        out.writeShort(names.size());
        for (String name : names) {
            CStrings.write(out, name);
            out.writeInt(0); // not a table column
            out.writeShort(0);
            out.writeInt(TEXT_OID);
            out.writeShort(-1); // variable length
            out.writeInt(-1); // no type modifier
            out.writeShort(0); // text format
        }
        MessageWriter.finish(out, start);
    }
}
