package io.pgsplit.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.statements.PreparedStatementDef;
import io.pgsplit.proxy.statements.ServerStatements;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The statements the client prepared with Parse, by the client's names, and the rewriting of a
 * request for the server it goes to ({@link StatementRenaming}), which holds them under its own names.
 */
final class ClientStatements {
    private final Map<String, PreparedStatementDef> byName = new HashMap<>();
    private final IntSupplier maxPerConnection;

    /** @param maxPerConnection {@code pool.max_prepared_statements_per_connection}, read at each request */
    ClientStatements(IntSupplier maxPerConnection) {
        this.maxPerConnection = maxPerConnection;
    }

    /** By name, as the scanner needs them to tell which definition a Bind or Describe uses. */
    Map<String, PreparedStatementDef> byName() {
        return byName;
    }

    /**
     * The fast path ({@link HeldStatementBind}): the new head of the Bind that {@code s} starts with, to be sent in
     * front of {@code bytes} (whose reader index it moves past the client's name); null when {@code s} needs
     * {@link #renameFor}.
     */
    ByteBuf heldBindHead(Segment s, ByteBuf bytes, BackendConnection server, ByteBufAllocator alloc) {
        return HeldStatementBind.renamedHead(s, bytes, server.statements(), byName, maxPerConnection.getAsInt(), alloc);
    }

    /**
     * {@code s}'s bytes (owned by this call) as {@code server} must get them, or null when they go
     * unchanged: nothing in them names a statement.
     */
    StatementRenaming.Renamed renameFor(Segment s, ByteBuf bytes, BackendConnection server, ByteBufAllocator alloc) {
        if (!s.namesStatements() && s.referenced.isEmpty()) {
            return null; // the common unnamed Parse/Bind/Execute group: sent as it came
        }
        return StatementRenaming.rename(s, bytes, server.statements(), byName, maxPerConnection.getAsInt(), alloc);
    }

    /** Once sent, the session knows what the client prepared and closed, and the server which unnamed statement it holds. */
    void sent(Segment s, ServerStatements server) {
        java.util.List<Segment.StatementEvent> events = s.events;
        for (int i = 0; i < events.size(); i++) {
            Segment.StatementEvent event = events.get(i);
            if (event instanceof Segment.StatementEvent.Parsed parsed) {
                byName.put(parsed.def().name(), parsed.def());
                if (parsed.def().name().isEmpty()) {
                    server.unnamed(parsed.def());
                }
            } else if (event instanceof Segment.StatementEvent.Closed closed) {
                byName.remove(closed.name());
                if (closed.name().isEmpty()) {
                    server.unnamed(null);
                }
            }
        }
        if (s.simpleQuery) {
            byName.remove("");
            server.unnamed(null);
        }
    }

    /** DISCARD ALL or DEALLOCATE ALL ran on {@code server}: the client's statements are gone there and here. */
    void dropAll(BackendConnection server) {
        byName.clear();
        server.statements().clear();
        server.sqlPrepared().clear();
    }
}
