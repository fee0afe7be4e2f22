package io.pgsplit.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.protocol.CStrings;
import io.pgsplit.protocol.backend.BindComplete;
import io.pgsplit.protocol.backend.CommandComplete;
import io.pgsplit.protocol.backend.DataRow;
import io.pgsplit.protocol.backend.ParseComplete;
import io.pgsplit.protocol.backend.ReadyForQuery;
import io.pgsplit.protocol.backend.RowDescription;
import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.protocol.frontend.Execute;
import io.pgsplit.protocol.frontend.Parse;
import io.pgsplit.protocol.frontend.Query;
import io.pgsplit.protocol.frontend.Sync;
import java.util.List;

/** One cached read, {@code SELECT 1}, as each pgbench query mode sends it and as the server answers it. */
public enum QueryModeMessages {
    /** Query. */
    SIMPLE,
    /** Parse, Bind, Execute, Sync of the unnamed statement. */
    EXTENDED,
    /** Bind, Execute, Sync of a statement named and parsed once before. */
    PREPARED;

    static final String SQL = "SELECT 1";
    static final String STATEMENT = "S_1";

    /** What the client sends once, before the round trips; empty but for PREPARED. */
    ByteBuf prelude(ByteBufAllocator alloc) {
        ByteBuf out = alloc.directBuffer();
        if (this == PREPARED) {
            new Parse(STATEMENT, SQL, new int[0]).encode(out);
            Sync.encode(out);
        }
        return out;
    }

    /** The client's request, one read of its socket. */
    ByteBuf request(ByteBufAllocator alloc) {
        return request(alloc, STATEMENT);
    }

    /**
     * The request as the replica gets it: a named statement goes by the connection's own name for it, and the
     * replica's connection holds just this one ({@code pgsplit_s1}).
     */
    ByteBuf serverRequest(ByteBufAllocator alloc) {
        return request(alloc, "pgsplit_s1");
    }

    private ByteBuf request(ByteBufAllocator alloc, String statement) {
        ByteBuf out = alloc.directBuffer();
        switch (this) {
            case SIMPLE -> new Query(SQL).encode(out);
            case EXTENDED -> {
                new Parse("", SQL, new int[0]).encode(out);
                bind(out, "");
                new Execute("", 0).encode(out);
                Sync.encode(out);
            }
            case PREPARED -> {
                bind(out, statement);
                new Execute("", 0).encode(out);
                Sync.encode(out);
            }
        }
        return out;
    }

    /** The server's answer to {@link #request}, one read of its socket. */
    ByteBuf reply(ByteBufAllocator alloc) {
        ByteBuf out = alloc.directBuffer();
        switch (this) {
            case SIMPLE -> RowDescription.encodeTextColumns(out, List.of("?column?"));
            case EXTENDED -> {
                ParseComplete.encode(out);
                BindComplete.encode(out);
            }
            case PREPARED -> BindComplete.encode(out);
        }
        DataRow.encodeText(out, List.of("1"));
        new CommandComplete("SELECT 1").encode(out);
        new ReadyForQuery(TransactionStatus.IDLE).encode(out);
        return out;
    }

    /** A Bind of the unnamed portal without parameters or format codes (the protocol module only decodes Bind). */
    private static void bind(ByteBuf out, String statement) {
        out.writeByte('B').writeInt(4 + 1 + CStrings.encodedLength(statement) + 2 + 2 + 2);
        CStrings.write(out, "");
        CStrings.write(out, statement);
        out.writeShort(0).writeShort(0).writeShort(0);
    }
}
