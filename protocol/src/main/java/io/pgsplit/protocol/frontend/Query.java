package io.pgsplit.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.BodyReader;
import io.pgsplit.protocol.CStrings;
import io.pgsplit.protocol.MalformedMessageException;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
import io.pgsplit.protocol.WireMessage;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Simple query: one string that may hold several statements. */
public record Query(String sql) implements WireMessage {

    public Query {
        Objects.requireNonNull(sql, "sql");
    }

    public static Query decode(ByteBuf body) {
        String sql = CStrings.read(body);
        BodyReader.requireEnd(body, "Query");
        return new Query(sql);
    }

    /**
     * The SQL of the Query body in {@code [bodyStart, bodyEnd)} of {@code buf}, read in place with the checks of
     * {@link #decode}: the per-request path needs the text, not a slice and a record around it.
     */
    public static String sqlAt(ByteBuf buf, int bodyStart, int bodyEnd) {
        int terminator = CStrings.terminatorOf(buf, bodyStart, bodyEnd);
        if (terminator != bodyEnd - 1) {
            throw new MalformedMessageException("Query: " + (bodyEnd - 1 - terminator) + " unexpected trailing bytes");
        }
        return buf.toString(bodyStart, terminator - bodyStart, StandardCharsets.UTF_8);
    }

    @Override
    public int encodedLength() {
        return 5 + CStrings.encodedLength(sql);
    }

    @Override
    public void encode(ByteBuf out) {
        int start = MessageWriter.begin(out, MessageTypes.QUERY);
        CStrings.write(out, sql);
        MessageWriter.finish(out, start);
    }
}
