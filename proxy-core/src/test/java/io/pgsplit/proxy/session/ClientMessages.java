package io.pgsplit.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
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
import io.pgsplit.proxy.statements.PreparedStatementDef;
import java.nio.charset.StandardCharsets;

/**
 * Client messages as a driver writes them, appended to one buffer. The protocol module's encoders
 * are used where they exist; Bind, CopyData and FunctionCall (which the proxy only frames) are
 * written here.
 */
final class ClientMessages {
    private final ByteBuf out = Unpooled.buffer();

    /** A statement as the session records it from the client's Parse. */
    static PreparedStatementDef preparedStatement(String name, String sql) {
        return new PreparedStatementDef(name, sql, new ClientMessages().parse(name, sql).bytes());
    }

    ClientMessages parse(String statement, String sql) {
        new Parse(statement, sql, new int[0]).encode(out);
        return this;
    }

    /** A Bind without parameters or format codes. */
    ClientMessages bind(String portal, String statement) {
        int start = MessageWriter.begin(out, MessageTypes.BIND);
        CStrings.write(out, portal);
        CStrings.write(out, statement);
        out.writeShort(0);
        out.writeShort(0);
        out.writeShort(0);
        MessageWriter.finish(out, start);
        return this;
    }

    ClientMessages describeStatement(String statement) {
        new Describe(TargetKind.STATEMENT, statement).encode(out);
        return this;
    }

    ClientMessages describePortal(String portal) {
        new Describe(TargetKind.PORTAL, portal).encode(out);
        return this;
    }

    ClientMessages execute() {
        new Execute("", 0).encode(out);
        return this;
    }

    ClientMessages closeStatement(String statement) {
        new Close(TargetKind.STATEMENT, statement).encode(out);
        return this;
    }

    ClientMessages closePortal(String portal) {
        new Close(TargetKind.PORTAL, portal).encode(out);
        return this;
    }

    ClientMessages sync() {
        Sync.encode(out);
        return this;
    }

    ClientMessages flush() {
        Flush.encode(out);
        return this;
    }

    ClientMessages query(String sql) {
        new Query(sql).encode(out);
        return this;
    }

    ClientMessages copyData(String data) {
        int start = MessageWriter.begin(out, MessageTypes.COPY_DATA);
        out.writeCharSequence(data, StandardCharsets.UTF_8);
        MessageWriter.finish(out, start);
        return this;
    }

    ClientMessages copyDone() {
        MessageWriter.writeEmpty(out, MessageTypes.COPY_DONE);
        return this;
    }

    /** A FunctionCall of OID 1 with no arguments and a text result. */
    ClientMessages functionCall() {
        int start = MessageWriter.begin(out, MessageTypes.FUNCTION_CALL);
        out.writeInt(1);
        out.writeShort(0);
        out.writeShort(0);
        out.writeShort(0);
        MessageWriter.finish(out, start);
        return this;
    }

    ClientMessages terminate() {
        MessageWriter.writeEmpty(out, MessageTypes.TERMINATE);
        return this;
    }

    /** A message of any type byte with an empty body. */
    ClientMessages raw(byte type) {
        MessageWriter.writeEmpty(out, type);
        return this;
    }

    /** The buffer itself, owned by the caller. */
    ByteBuf buffer() {
        return out;
    }

    /** A copy of the bytes, leaving nothing to release. */
    byte[] bytes() {
        try {
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }
}
