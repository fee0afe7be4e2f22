package io.pgsplit.proxy.session;

import static io.pgsplit.protocol.MessageFraming.HEADER_LENGTH;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.frontend.BindTarget;
import io.pgsplit.proxy.statements.PreparedStatementDef;
import io.pgsplit.proxy.statements.ServerStatements;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The renaming's fast path, for the commonest request of a client using prepared statements: it starts with a Bind
 * of one named statement that the server connection already holds, and names no other statement (Bind, Execute,
 * Sync, with a Describe of the portal perhaps). Only the Bind's head changes, so the request goes out as a new head
 * (type, length, portal, the server's name) followed by the client's own bytes from the end of the client's name on:
 * no maps, lists or composite buffers, and the name the scanner read is used rather than decoded again. Nothing is
 * prepared, closed or evicted for it, so its replies need no bookkeeping. Any other request, or one whose statement
 * the server lacks (never prepared there, or evicted by the LRU), or with Closes owed, takes
 * {@link StatementRenaming}.
 */
final class HeldStatementBind {
    private HeldStatementBind() {
    }

    /**
     * The renamed Bind head to send in front of {@code bytes}, whose reader index then points past the client's
     * statement name; or null, with nothing changed, when the request is not of that shape. {@code bytes} stays the
     * caller's.
     */
    static ByteBuf renamedHead(Segment s, ByteBuf bytes, ServerStatements server,
                               Map<String, PreparedStatementDef> session, int limit, ByteBufAllocator alloc) {
        String name = s.leadingBindName;
        if (name == null || s.namedStatementMessages != 1 || !s.parsed.isEmpty() || !s.events.isEmpty()
                || s.referenced.size() != 1 || server.hasClosesOwed() || server.size() > limit) {
            return null;
        }
        PreparedStatementDef def = session.get(name);
        if (def == null || def != s.referenced.get(0)) {
            return null;
        }
        server.beginDispatch();
        ServerStatements.Held held = server.find(def.contentKey());
        return held == null ? null : head(bytes, held.name(), alloc);
    }

    /** Writes the new head; moves {@code bytes}' reader index to the client's name's terminator. */
    private static ByteBuf head(ByteBuf bytes, String serverName, ByteBufAllocator alloc) {
        int index = bytes.readerIndex();
        int end = index + 1 + bytes.getInt(index + 1);
        int body = index + HEADER_LENGTH;
        int nameStart = BindTarget.statementNameIndex(bytes, body, end);
        int nameEnd = nameStart + bytes.bytesBefore(nameStart, end - nameStart, (byte) 0);
        int newLength = end - index - (nameEnd - nameStart) + serverName.length(); // server names are ASCII
        ByteBuf head = alloc.buffer(nameStart - index + serverName.length());
        head.writeByte(MessageTypes.BIND).writeInt(newLength - 1);
        head.writeBytes(bytes, body, nameStart - body);
        head.writeCharSequence(serverName, StandardCharsets.US_ASCII);
        bytes.readerIndex(nameEnd);
        return head;
    }
}
