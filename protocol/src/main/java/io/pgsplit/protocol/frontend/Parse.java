package io.pgsplit.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.BodyReader;
import io.pgsplit.protocol.CStrings;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
import io.pgsplit.protocol.WireMessage;
import java.util.Arrays;
import java.util.Objects;

/**
 * Creates a prepared statement ("" is the unnamed one). Parameter types are OIDs, 0 meaning
 * "let the server infer"; the array is copied in and out so the record stays immutable.
 */
public record Parse(String statementName, String sql, int[] parameterTypes) implements WireMessage {
    private static final int MAX_PARAMETERS = 0xFFFF;

    public Parse {
        Objects.requireNonNull(statementName, "statementName");
        Objects.requireNonNull(sql, "sql");
        if (parameterTypes.length > MAX_PARAMETERS) {
            throw new IllegalArgumentException("at most " + MAX_PARAMETERS + " parameters fit in an Int16 count");
        }
        parameterTypes = parameterTypes.clone();
    }

    public static Parse decode(ByteBuf body) {
        String statementName = CStrings.read(body);
        String sql = CStrings.read(body);
        int count = BodyReader.uint16(body, "Parse");
        BodyReader.requireElements(body, count, 4, "Parse");
        int[] types = new int[count];
        for (int i = 0; i < count; i++) {
            types[i] = body.readInt();
        }
        BodyReader.requireEnd(body, "Parse");
        return new Parse(statementName, sql, types);
    }

    @Override
    public int[] parameterTypes() {
        return parameterTypes.clone();
    }

    @Override
    public int encodedLength() {
        return 5 + CStrings.encodedLength(statementName) + CStrings.encodedLength(sql) + 2 + 4 * parameterTypes.length;
    }

    @Override
    public void encode(ByteBuf out) {
        int start = MessageWriter.begin(out, MessageTypes.PARSE);
        CStrings.write(out, statementName);
        CStrings.write(out, sql);
        out.writeShort(parameterTypes.length);
        for (int type : parameterTypes) {
            out.writeInt(type);
        }
        MessageWriter.finish(out, start);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parse other && statementName.equals(other.statementName) && sql.equals(other.sql)
                && Arrays.equals(parameterTypes, other.parameterTypes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(statementName, sql, Arrays.hashCode(parameterTypes));
    }

    @Override
    public String toString() {
        return "Parse[statementName=" + statementName + ", sql=" + sql + ", parameterTypes=" + Arrays.toString(parameterTypes) + "]";
    }
}
