package io.pgsplit.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.pgsplit.protocol.frontend.Close;
import io.pgsplit.protocol.frontend.TargetKind;
import io.pgsplit.proxy.statements.PreparedStatementDef;
import io.pgsplit.proxy.statements.ServerStatements;

/**
 * The messages injected in front of a segment so its target server holds every statement the
 * segment binds or describes: the client's original Parse, preceded by a Close where the server
 * still holds an outdated statement of that name. Their replies are hidden from the client.
 */
record StatementPrelude(ByteBuf bytes, int parses, int closes) {
    static final StatementPrelude NONE = new StatementPrelude(null, 0, 0);

    /** Builds the prelude and records on {@code server} what it will hold once the prelude ran. */
    static StatementPrelude build(Segment segment, ServerStatements server, ByteBufAllocator alloc) {
        CompositeByteBuf bytes = null;
        int parses = 0;
        int closes = 0;
        for (PreparedStatementDef def : segment.referenced) {
            if (server.has(def)) {
                continue;
            }
            bytes = bytes != null ? bytes : alloc.compositeBuffer();
            if (server.needsCloseBefore(def.name(), def)) {
                bytes.addComponent(true, new Close(TargetKind.STATEMENT, def.name()).encode(alloc));
                closes++;
            }
            bytes.addComponent(true, Unpooled.wrappedBuffer(def.parseMessage()));
            parses++;
            server.prepared(def);
        }
        for (PreparedStatementDef def : segment.parsed) {
            if (server.isOutdated(def.name())) {
                bytes = bytes != null ? bytes : alloc.compositeBuffer();
                bytes.addComponent(true, new Close(TargetKind.STATEMENT, def.name()).encode(alloc));
                closes++;
                server.closed(def.name());
            }
        }
        return bytes == null ? NONE : new StatementPrelude(bytes, parses, closes);
    }
}
