package io.pgsplit.proxy.commands;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.protocol.CStrings;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
import io.pgsplit.protocol.frontend.Close;
import io.pgsplit.protocol.frontend.Describe;
import io.pgsplit.protocol.frontend.Execute;
import io.pgsplit.protocol.frontend.Flush;
import io.pgsplit.protocol.frontend.Parse;
import io.pgsplit.protocol.frontend.Query;
import io.pgsplit.protocol.frontend.Sync;
import io.pgsplit.protocol.frontend.TargetKind;

/** Client messages appended to one buffer, as psql and pgjdbc write them; the test releases {@link #buffer()}. */
final class ClientRequest {
    private final ByteBuf out = ByteBufAllocator.DEFAULT.buffer();

    static ClientRequest request() {
        return new ClientRequest();
    }

    ClientRequest query(String sql) {
        new Query(sql).encode(out);
        return this;
    }

    ClientRequest parse(String statement, String sql, int... parameterTypes) {
        new Parse(statement, sql, parameterTypes).encode(out);
        return this;
    }

    /** A Bind without parameters that asks for text results, as pgjdbc binds a one-off statement. */
    ClientRequest bind(String portal, String statement) {
        int start = MessageWriter.begin(out, MessageTypes.BIND);
        CStrings.write(out, portal);
        CStrings.write(out, statement);
        out.writeShort(0); // parameter format codes
        out.writeShort(0); // parameter values
        out.writeShort(0); // result format codes: all text
        MessageWriter.finish(out, start);
        return this;
    }

    ClientRequest describeStatement(String statement) {
        new Describe(TargetKind.STATEMENT, statement).encode(out);
        return this;
    }

    ClientRequest describePortal(String portal) {
        new Describe(TargetKind.PORTAL, portal).encode(out);
        return this;
    }

    ClientRequest execute(String portal, int maxRows) {
        new Execute(portal, maxRows).encode(out);
        return this;
    }

    ClientRequest execute() {
        return execute("", 0);
    }

    ClientRequest closeStatement(String statement) {
        new Close(TargetKind.STATEMENT, statement).encode(out);
        return this;
    }

    ClientRequest flush() {
        Flush.encode(out);
        return this;
    }

    ClientRequest sync() {
        Sync.encode(out);
        return this;
    }

    ClientRequest raw(byte type) {
        MessageWriter.writeEmpty(out, type);
        return this;
    }

    ByteBuf buffer() {
        return out;
    }
}
