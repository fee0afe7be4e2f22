package io.pgsplit.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.backend.BindComplete;
import io.pgsplit.protocol.backend.CommandComplete;
import io.pgsplit.protocol.backend.DataRow;
import io.pgsplit.protocol.backend.ParseComplete;
import io.pgsplit.protocol.backend.ReadyForQuery;
import io.pgsplit.protocol.backend.RowDescription;
import io.pgsplit.protocol.backend.TransactionStatus;
import java.util.List;

/**
 * A server that answers whatever frontend messages it got, for the set-up rounds only (a session's first
 * statements on a connection may bring statements of the proxy's own, such as a replayed Parse): every Query and
 * Execute yields one row, every Parse and Bind its completion, every Sync a ReadyForQuery. Timed round trips get
 * a fixed reply instead.
 */
final class ScriptedServer {
    private ScriptedServer() {
    }

    /** Reads all of {@code received} (not released here). */
    static ByteBuf answer(ByteBuf received, ByteBufAllocator alloc) {
        ByteBuf out = alloc.directBuffer();
        while (received.readableBytes() >= 5) {
            byte type = received.readByte();
            int length = received.readInt();
            received.skipBytes(length - 4);
            switch (type) {
                case MessageTypes.QUERY -> {
                    RowDescription.encodeTextColumns(out, List.of("?column?"));
                    row(out);
                    new ReadyForQuery(TransactionStatus.IDLE).encode(out);
                }
                case MessageTypes.PARSE -> ParseComplete.encode(out);
                case MessageTypes.BIND -> BindComplete.encode(out);
                case MessageTypes.EXECUTE -> row(out);
                case MessageTypes.SYNC -> new ReadyForQuery(TransactionStatus.IDLE).encode(out);
                default -> throw new IllegalStateException("the benchmark's server cannot answer message '"
                        + (char) type + "'");
            }
        }
        return out;
    }

    private static void row(ByteBuf out) {
        DataRow.encodeText(out, List.of("1"));
        new CommandComplete("SELECT 1").encode(out);
    }
}
