package io.pgsplit.proxy.session;

import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.statements.PreparedStatementDef;
import java.util.HashMap;
import java.util.Map;

/**
 * The statements the client prepared with Parse, as it sees them, and what a server must be sent first
 * so that it holds the ones a request binds ({@link StatementPrelude}).
 */
final class ClientStatements {
    private final Map<String, PreparedStatementDef> byName = new HashMap<>();

    /** By name, as the scanner needs them to tell which definition a Bind or Describe uses. */
    Map<String, PreparedStatementDef> byName() {
        return byName;
    }

    /** The Parse (and Close) messages {@code server} needs before {@code s}; records what it will hold. */
    StatementPrelude preludeFor(Segment s, BackendConnection server, ByteBufAllocator alloc) {
        if (s.referenced.isEmpty() && s.parsed.isEmpty()) {
            return StatementPrelude.NONE;
        }
        return StatementPrelude.build(s, server.statements(), byName, alloc);
    }

    /** Once sent, the server and the session know what the client prepared and closed. */
    void sent(Segment s, BackendConnection server) {
        if (s.simpleQuery) {
            server.statements().unnamedDropped();
            byName.remove("");
        }
        java.util.List<Segment.StatementEvent> events = s.events;
        for (int i = 0; i < events.size(); i++) {
            Segment.StatementEvent event = events.get(i);
            if (event instanceof Segment.StatementEvent.Parsed parsed) {
                byName.put(parsed.def().name(), parsed.def());
                server.statements().prepared(parsed.def());
            } else if (event instanceof Segment.StatementEvent.Closed closed) {
                byName.remove(closed.name());
                server.statements().closed(closed.name());
            }
        }
    }

    /** DISCARD ALL or DEALLOCATE ALL ran on {@code server}: the client's statements are gone there and here. */
    void dropAll(BackendConnection server) {
        byName.clear();
        server.statements().clear();
        server.sqlPrepared().clear();
    }
}
