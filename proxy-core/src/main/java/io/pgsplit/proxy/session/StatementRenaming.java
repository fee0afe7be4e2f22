package io.pgsplit.proxy.session;

import static io.pgsplit.protocol.MessageFraming.HEADER_LENGTH;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.frontend.Close;
import io.pgsplit.protocol.frontend.TargetKind;
import io.pgsplit.proxy.backend.StatementReplies;
import io.pgsplit.proxy.backend.StatementReplies.Registration;
import io.pgsplit.proxy.statements.PreparedStatementDef;
import io.pgsplit.proxy.statements.ServerStatements;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Rewrites one request for the server connection it goes to: every named statement of the client
 * becomes that connection's name for the same content. A Parse of content the server holds is not
 * sent; a Close of a name that exists nowhere takes its place, so the server's CloseComplete marks
 * exactly where the client's ParseComplete belongs (and is skipped, like the Parse would be, after
 * an error). A client's Close of a named statement only forgets its name here: it, too, becomes a
 * Close of that non-existent name, so its CloseComplete comes from the server, in order. Statements
 * the request binds but the server lacks are prepared in front (hidden), after the Closes owed for
 * statements the LRU evicted. Unchanged messages are passed on as slices of the client's bytes.
 */
final class StatementRenaming {
    /** Never prepared anywhere: closing it is a no-op that the server answers in line. */
    static final String NOWHERE = "pgsplit_none";

    private final ServerStatements server;
    private final ByteBufAllocator alloc;
    private final Map<String, PreparedStatementDef> session;
    /** The client's names as this request changes them: a null value is a name it closed. */
    private final Map<String, PreparedStatementDef> changed = new HashMap<>(4);
    private final List<Registration> preludeParses = new ArrayList<>(0);
    private final List<Registration> clientParses = new ArrayList<>(2);
    private final BitSet closesAsParse = new BitSet();
    private CompositeByteBuf preludeBytes;
    private CompositeByteBuf out;
    private int runStart;
    private int clientCloses;

    private StatementRenaming(ServerStatements server, Map<String, PreparedStatementDef> session, ByteBufAllocator alloc) {
        this.server = server;
        this.session = session;
        this.alloc = alloc;
    }

    /** The rewritten request: prelude (may be null) and client bytes; the replies' bookkeeping. */
    record Renamed(ByteBuf prelude, ByteBuf client, int preludeParses, int preludeCloses, int clientParses,
                   int clientCloses, StatementReplies replies) {
    }

    /**
     * Takes ownership of {@code bytes}. {@code session}: the client's statements before this request.
     */
    static Renamed rename(Segment s, ByteBuf bytes, ServerStatements server, Map<String, PreparedStatementDef> session,
                          int limit, ByteBufAllocator alloc) {
        server.beginDispatch();
        StatementRenaming renaming = new StatementRenaming(server, session, alloc);
        try {
            renaming.walk(s, bytes);
        } catch (RuntimeException e) {
            renaming.release();
            throw e;
        } finally {
            bytes.release();
        }
        server.evictBeyond(limit);
        return renaming.result();
    }

    private void walk(Segment s, ByteBuf bytes) {
        out = alloc.compositeBuffer(Integer.MAX_VALUE);
        Iterator<PreparedStatementDef> parsed = s.parsed.iterator();
        int index = bytes.readerIndex();
        runStart = index;
        while (index < bytes.writerIndex()) {
            int length = bytes.getInt(index + 1) + 1;
            byte type = bytes.getByte(index);
            int body = index + HEADER_LENGTH;
            switch (type) {
                case MessageTypes.PARSE -> parse(bytes, index, length, parsed.next());
                case MessageTypes.BIND -> use(bytes, index, length, bytes.bytesBefore(body, length - HEADER_LENGTH, (byte) 0) + body + 1);
                case MessageTypes.DESCRIBE -> {
                    if (bytes.getByte(body) == TargetKind.STATEMENT) {
                        use(bytes, index, length, body + 1);
                    }
                }
                case MessageTypes.CLOSE -> close(bytes, index, length, body + 1);
                default -> {
                }
            }
            index += length;
        }
        flushRun(bytes, index);
    }

    private void parse(ByteBuf bytes, int index, int length, PreparedStatementDef def) {
        changed.put(def.name(), def);
        if (def.name().isEmpty()) {
            clientParses.add(null); // the unnamed statement goes through as it is
            return;
        }
        ServerStatements.Held held = server.find(def.contentKey());
        flushRun(bytes, index);
        if (held != null) {
            closesAsParse.set(clientCloses++);
            out.addComponent(true, new Close(TargetKind.STATEMENT, NOWHERE).encode(alloc));
        } else {
            held = server.register(def.contentKey());
            clientParses.add(new Registration(def.contentKey(), held));
            appendRenamed(out, bytes, index, length, index + HEADER_LENGTH, held.name());
        }
        runStart = index + length;
    }

    /** A Bind or Describe of the statement whose name starts at {@code nameStart}. */
    private void use(ByteBuf bytes, int index, int length, int nameStart) {
        String name = cString(bytes, nameStart);
        PreparedStatementDef def = changed.containsKey(name) ? changed.get(name) : session.get(name);
        if (name.isEmpty()) {
            if (def != null && !changed.containsKey(name) && !server.holdsUnnamed(def)) {
                unnamedInFront(def);
            }
            return;
        }
        String serverName;
        if (def != null) {
            serverName = heldOrPrepared(def).name();
        } else if (name.startsWith(ServerStatements.PREFIX)) {
            serverName = NOWHERE; // not the client's: it must not reach another client's statement
        } else {
            return; // unknown here: the server says it does not exist (or it is the client's own SQL PREPARE)
        }
        flushRun(bytes, index);
        appendRenamed(out, bytes, index, length, nameStart, serverName);
        runStart = index + length;
    }

    private void close(ByteBuf bytes, int index, int length, int nameStart) {
        clientCloses++;
        if (bytes.getByte(nameStart - 1) != TargetKind.STATEMENT) {
            return;
        }
        String name = cString(bytes, nameStart);
        changed.put(name, null);
        if (name.isEmpty()) {
            return; // closes the server's unnamed statement, as the client meant
        }
        flushRun(bytes, index);
        out.addComponent(true, new Close(TargetKind.STATEMENT, NOWHERE).encode(alloc));
        runStart = index + length;
    }

    /** The server's statement for {@code def}, prepared in the prelude when it lacks one. */
    private ServerStatements.Held heldOrPrepared(PreparedStatementDef def) {
        ServerStatements.Held held = server.find(def.contentKey());
        if (held == null) {
            held = server.register(def.contentKey());
            preludeParses.add(new Registration(def.contentKey(), held));
            ByteBuf original = Unpooled.wrappedBuffer(def.parseMessage());
            try {
                appendRenamed(prelude(), original, 0, original.readableBytes(), HEADER_LENGTH, held.name());
            } finally {
                original.release();
            }
        }
        return held;
    }

    /**
     * The client binds the unnamed statement it parsed in an earlier request, and this connection holds
     * another (it served someone else since, or never saw the Parse): the original Parse goes in front.
     */
    private void unnamedInFront(PreparedStatementDef def) {
        preludeParses.add(null);
        prelude().addComponent(true, alloc.buffer(def.parseMessage().length).writeBytes(def.parseMessage()));
        server.unnamed(def);
        changed.put("", def);
    }

    private CompositeByteBuf prelude() {
        if (preludeBytes == null) {
            preludeBytes = alloc.compositeBuffer(Integer.MAX_VALUE);
        }
        return preludeBytes;
    }

    private void flushRun(ByteBuf bytes, int end) {
        if (end > runStart) {
            out.addComponent(true, bytes.retainedSlice(runStart, end - runStart));
        }
        runStart = end;
    }

    private Renamed result() {
        List<String> closes = server.takeClosesOwed();
        ByteBuf prelude = preludeBytes;
        if (!closes.isEmpty()) {
            CompositeByteBuf withCloses = alloc.compositeBuffer(Integer.MAX_VALUE);
            for (String name : closes) {
                withCloses.addComponent(true, new Close(TargetKind.STATEMENT, name).encode(alloc));
            }
            if (preludeBytes != null) {
                withCloses.addComponent(true, preludeBytes);
            }
            prelude = withCloses;
        }
        List<Registration> parses = new ArrayList<>(preludeParses.size() + clientParses.size());
        parses.addAll(preludeParses);
        parses.addAll(clientParses);
        return new Renamed(prelude, out, preludeParses.size(), closes.size(), clientParses.size(), clientCloses,
                new StatementReplies(parses, closesAsParse));
    }

    private void release() {
        if (out != null) {
            out.release();
        }
        if (preludeBytes != null) {
            preludeBytes.release();
        }
    }

    /**
     * Appends to {@code to} the message at {@code index} with the name that starts at {@code nameStart} replaced: a new head (type,
     * length, what precedes the name, the new name) and the rest as a slice of the client's bytes, so a Bind's
     * parameter values are not copied.
     */
    private void appendRenamed(CompositeByteBuf to, ByteBuf bytes, int index, int length, int nameStart, String name) {
        int nameEnd = nameStart + bytes.bytesBefore(nameStart, index + length - nameStart, (byte) 0);
        byte[] newName = name.getBytes(StandardCharsets.UTF_8);
        int newLength = length - (nameEnd - nameStart) + newName.length;
        int prefix = nameStart - index - HEADER_LENGTH;
        ByteBuf head = alloc.buffer(HEADER_LENGTH + prefix + newName.length);
        head.writeByte(bytes.getByte(index)).writeInt(newLength - 1);
        head.writeBytes(bytes, index + HEADER_LENGTH, prefix);
        head.writeBytes(newName);
        to.addComponent(true, head);
        to.addComponent(true, bytes.retainedSlice(nameEnd, index + length - nameEnd));
    }

    private static String cString(ByteBuf bytes, int start) {
        int end = bytes.bytesBefore(start, bytes.writerIndex() - start, (byte) 0);
        return bytes.toString(start, end, StandardCharsets.UTF_8);
    }
}
