package io.pgsplit.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.pgsplit.protocol.frontend.Close;
import io.pgsplit.protocol.frontend.TargetKind;
import io.pgsplit.proxy.statements.PreparedStatementDef;
import io.pgsplit.proxy.statements.ServerStatements;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The messages injected in front of a segment so its target server holds every statement the
 * segment binds or describes — the client's original Parse, after a Close where the server holds
 * another statement of that name — and so the client's own Parse of a name does not collide with
 * one the server still holds from before (another client's, or one this client closed elsewhere).
 * Their replies are hidden from the client.
 */
record StatementPrelude(ByteBuf bytes, int parses, int closes) {
    static final StatementPrelude NONE = new StatementPrelude(null, 0, 0);

    /**
     * Builds the prelude and records on {@code server} what it will hold once the prelude ran.
     * {@code sessionStatements}: the client's statements before this segment, to tell a stale
     * server copy (close it) from a client re-parsing a name it still has (let the server refuse it,
     * as PostgreSQL would).
     */
    static StatementPrelude build(Segment segment, ServerStatements server, Map<String, PreparedStatementDef> sessionStatements,
                                  ByteBufAllocator alloc) {
        CompositeByteBuf bytes = null;
        int parses = 0;
        int closes = 0;
        List<PreparedStatementDef> referenced = segment.referenced;
        for (int i = 0; i < referenced.size(); i++) {
            PreparedStatementDef def = referenced.get(i);
            if (server.has(def)) {
                continue;
            }
            bytes = bytes != null ? bytes : alloc.compositeBuffer();
            if (server.holds(def.name())) {
                bytes.addComponent(true, new Close(TargetKind.STATEMENT, def.name()).encode(alloc));
                closes++;
            }
            bytes.addComponent(true, Unpooled.wrappedBuffer(def.parseMessage()));
            parses++;
            server.prepared(def);
        }
        if (segment.events.size() == 1 && segment.events.get(0) instanceof Segment.StatementEvent.Parsed parsed) {
            // The commonest group: one Parse, nothing closed; no bookkeeping of names needed.
            String name = parsed.def().name();
            if (!sessionStatements.containsKey(name) && server.holds(name)) {
                bytes = closeFirst(bytes, name, server, alloc);
                closes++;
            }
        } else if (!segment.parsed.isEmpty()) {
            Map<String, Boolean> liveInSegment = new HashMap<>();
            Set<String> closedBySegment = new HashSet<>();
            for (Segment.StatementEvent event : segment.events) {
                if (event instanceof Segment.StatementEvent.Closed closed) {
                    liveInSegment.put(closed.name(), false);
                    closedBySegment.add(closed.name()); // the client's own Close reaches this server first
                    continue;
                }
                String name = ((Segment.StatementEvent.Parsed) event).def().name();
                boolean live = liveInSegment.getOrDefault(name, sessionStatements.containsKey(name));
                if (!live && server.holds(name) && !closedBySegment.contains(name)) {
                    bytes = closeFirst(bytes, name, server, alloc);
                    closes++;
                }
                liveInSegment.put(name, true);
            }
        }
        return bytes == null ? NONE : new StatementPrelude(bytes, parses, closes);
    }

    /** A Close of {@code name} ahead of the client's Parse: the server holds another client's statement by it. */
    private static CompositeByteBuf closeFirst(CompositeByteBuf bytes, String name, ServerStatements server,
                                               ByteBufAllocator alloc) {
        CompositeByteBuf prelude = bytes != null ? bytes : alloc.compositeBuffer();
        prelude.addComponent(true, new Close(TargetKind.STATEMENT, name).encode(alloc));
        server.closed(name);
        return prelude;
    }
}
