package io.pgsplit.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.BodyReader;
import io.pgsplit.protocol.CStrings;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
import io.pgsplit.protocol.WireMessage;
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
