package io.pgsplit.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
import io.pgsplit.protocol.backend.BindComplete;
import io.pgsplit.protocol.backend.CommandComplete;
import io.pgsplit.protocol.backend.DataRow;
import io.pgsplit.protocol.backend.ErrorResponse;
import io.pgsplit.protocol.backend.ParameterStatus;
import io.pgsplit.protocol.backend.ParseComplete;
import io.pgsplit.protocol.backend.ReadyForQuery;
import io.pgsplit.protocol.backend.RowDescription;
import io.pgsplit.protocol.backend.TransactionStatus;
import java.util.List;

/** Server replies as PostgreSQL writes them, appended to one buffer: one read of the server's socket. */
final class ServerMessages {
    private final ByteBuf out = Unpooled.buffer();

    /** RowDescription, one DataRow per value, CommandComplete "SELECT n": the answer to a one-column query. */
    ServerMessages rows(String column, String... values) {
        RowDescription.encodeTextColumns(out, List.of(column));
        for (String value : values) {
            DataRow.encodeText(out, List.of(value));
        }
        return complete("SELECT " + values.length);
    }

    /** RowDescription alone: one text column. */
    ServerMessages rowDescription(String column) {
        RowDescription.encodeTextColumns(out, List.of(column));
        return this;
    }

    ServerMessages complete(String tag) {
        new CommandComplete(tag).encode(out);
        return this;
    }

    ServerMessages ready(char status) {
        new ReadyForQuery(TransactionStatus.of((byte) status)).encode(out);
        return this;
    }

    ServerMessages error(String sqlState, String message) {
        ErrorResponse.error(sqlState, message).encode(out);
        return this;
    }

    ServerMessages parseComplete() {
        ParseComplete.encode(out);
        return this;
    }

    ServerMessages bindComplete() {
        BindComplete.encode(out);
        return this;
    }

    /** ParameterStatus: the server reports a run-time parameter's new value. */
    ServerMessages parameter(String name, String value) {
        new ParameterStatus(name, value).encode(out);
        return this;
    }

    /** CopyInResponse: text format, one column. */
    ServerMessages copyIn() {
        int start = MessageWriter.begin(out, MessageTypes.COPY_IN_RESPONSE);
        out.writeByte(0);
        out.writeShort(1);
        out.writeShort(0);
        MessageWriter.finish(out, start);
        return this;
    }

    ByteBuf buffer() {
        return out;
    }
}
