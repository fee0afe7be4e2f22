package io.pgsplit.proxy.session;

import static io.pgsplit.protocol.MessageFraming.HEADER_LENGTH;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.MessageFraming;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.ProtocolException;
import io.pgsplit.protocol.SqlState;
import io.pgsplit.protocol.frontend.BindTarget;
import io.pgsplit.protocol.frontend.Close;
import io.pgsplit.protocol.frontend.Describe;
import io.pgsplit.protocol.frontend.Parse;
import io.pgsplit.protocol.frontend.Query;
import io.pgsplit.protocol.frontend.TargetKind;
import io.pgsplit.proxy.statements.PreparedStatementDef;
import java.util.Map;

/**
 * Reads client messages into a {@link Segment}, decoding only what routing needs: the SQL of Query
 * and Parse, the statement names of Bind, Describe and Close. Everything else is only framed.
 */
final class SegmentScanner {
    private final int maxMessageSize;
    private final int maxBufferedRequest;
    private final StatementNameReader names = new StatementNameReader();

    SegmentScanner(int maxMessageSize, int maxBufferedRequest) {
        this.maxMessageSize = maxMessageSize;
        this.maxBufferedRequest = maxBufferedRequest;
    }

    /**
     * Adds whole messages from {@code buf} (starting {@code segment.length} bytes past its reader
     * index) until the segment is complete or the data runs out. Returns true when complete.
     */
    boolean scan(ByteBuf buf, Segment segment, Map<String, PreparedStatementDef> statements) {
        while (segment.end == Segment.End.OPEN) {
            if (buf == null) {
                return false;
            }
            int index = buf.readerIndex() + segment.length;
            if (index >= buf.writerIndex()) {
                return false;
            }
            int length = MessageFraming.completeMessageLength(buf, index, maxMessageSize);
            if (length < 0) {
                return streamCopyData(buf, index, segment) || cutIfTooLarge(segment);
            }
            byte type = buf.getByte(index);
            if (startsOwnSegment(type) && !segment.isEmpty()) {
                segment.end = Segment.End.CONTINUES; // send what came before; the group stays on its server
                return true;
            }
            read(type, buf, index, length, segment, statements);
            segment.length += length;
        }
        return true;
    }

    /**
     * Records one whole message of {@code length} bytes at {@code index} in the segment. The fields of the
     * per-request messages (Query, Bind) are read in place; the rest are sliced only when they must be decoded.
     */
    private void read(byte type, ByteBuf buf, int index, int length, Segment segment,
                      Map<String, PreparedStatementDef> statements) {
        int bodyStart = index + HEADER_LENGTH;
        int end = index + length;
        switch (type) {
            case MessageTypes.QUERY -> {
                segment.query(Query.sqlAt(buf, bodyStart, end));
                segment.end = Segment.End.READY_FOR_QUERY;
            }
            case MessageTypes.PARSE -> {
                PreparedStatementDef def = parsed(buf, index, length, statements);
                segment.parse(def);
                segment.namedStatementMessages += def.name().isEmpty() ? 0 : 1;
            }
            case MessageTypes.BIND -> {
                String name = names.read(buf, BindTarget.statementNameIndex(buf, bodyStart, end), end);
                segment.use(name, statements);
                if (!name.isEmpty()) {
                    segment.namedStatementMessages++;
                    segment.leadingBindName = segment.isEmpty() ? name : segment.leadingBindName;
                }
            }
            case MessageTypes.DESCRIBE -> {
                String name = describedStatement(buf, bodyStart, end);
                if (name != null) {
                    segment.use(name, statements);
                    segment.namedStatementMessages += name.isEmpty() ? 0 : 1;
                }
            }
            case MessageTypes.CLOSE -> {
                Close close = Close.decode(body(buf, index, length));
                segment.clientCloses++; // portal or statement, each is answered by CloseComplete
                if (close.kind() == TargetKind.STATEMENT) {
                    segment.closeStatement(close.name());
                    segment.namedStatementMessages += close.name().isEmpty() ? 0 : 1;
                }
            }
            case MessageTypes.EXECUTE -> {
                // framed only: the portal belongs to a Bind in this group or an open transaction
            }
            case MessageTypes.SYNC -> segment.end = Segment.End.READY_FOR_QUERY;
            case MessageTypes.FLUSH -> segment.end = Segment.End.CONTINUES;
            case MessageTypes.FUNCTION_CALL -> {
                segment.functionCall = true;
                segment.end = Segment.End.READY_FOR_QUERY;
            }
            case MessageTypes.COPY_DATA, MessageTypes.COPY_DONE, MessageTypes.COPY_FAIL -> segment.end = Segment.End.COPY;
            case MessageTypes.TERMINATE -> segment.end = Segment.End.TERMINATE;
            default -> throw new ProtocolException(SqlState.PROTOCOL_VIOLATION,
                    "invalid frontend message type " + (type & 0xFF));
        }
    }

    /**
     * The statement a Describe names, or null when it describes a portal. A well-formed one (kind, then a name ending
     * the body) is read in place: clients send a Describe of the portal with every query. Any other is decoded, so a
     * malformed one fails as {@link Describe#decode} says.
     */
    private String describedStatement(ByteBuf buf, int bodyStart, int end) {
        byte kind = end - bodyStart >= 2 && buf.indexOf(bodyStart + 1, end, (byte) 0) == end - 1
                ? buf.getByte(bodyStart) : 0;
        if (kind == TargetKind.PORTAL) {
            return null;
        }
        if (kind == TargetKind.STATEMENT) {
            return names.read(buf, bodyStart + 1, end);
        }
        Describe describe = Describe.decode(buf.slice(bodyStart, end - bodyStart));
        return describe.kind() == TargetKind.STATEMENT ? describe.name() : null;
    }

    /**
     * The statement a Parse defines. An extended-protocol client sends the same Parse of the unnamed statement
     * with every query: when the bytes are those of the session's unnamed statement, that very definition is
     * used again, with its classification, instead of being decoded, copied and classified once more.
     */
    private static PreparedStatementDef parsed(ByteBuf buf, int index, int length,
                                               Map<String, PreparedStatementDef> statements) {
        PreparedStatementDef unnamed = statements.get("");
        if (unnamed != null && unnamed.sameParseMessage(buf, index, length)) {
            return unnamed;
        }
        Parse parse = Parse.decode(body(buf, index, length));
        byte[] original = new byte[length];
        buf.getBytes(index, original);
        return new PreparedStatementDef(parse.statementName(), parse.sql(), original);
    }

    private static ByteBuf body(ByteBuf buf, int index, int length) {
        return buf.slice(index + HEADER_LENGTH, length - HEADER_LENGTH);
    }

    private static boolean startsOwnSegment(byte type) {
        return type == MessageTypes.COPY_DATA || type == MessageTypes.COPY_DONE || type == MessageTypes.COPY_FAIL
                || type == MessageTypes.TERMINATE;
    }

    /**
     * A CopyData message goes to the COPY under way (or nowhere) whatever it holds, so it is not
     * buffered whole: the part that has arrived is a segment of its own, the rest follows raw.
     */
    private static boolean streamCopyData(ByteBuf buf, int index, Segment segment) {
        int available = buf.writerIndex() - index;
        if (!segment.isEmpty() || available < HEADER_LENGTH || buf.getByte(index) != MessageTypes.COPY_DATA) {
            return false;
        }
        segment.length = available;
        segment.streamRest = buf.getInt(index + 1) + 1 - available; // the length was checked by the caller
        segment.end = Segment.End.COPY;
        return true;
    }

    /**
     * A group bigger than the buffering limit is not held back: what has arrived is sent on (to the
     * primary, unless a server is already committed) and the rest of the group follows it there.
     */
    private boolean cutIfTooLarge(Segment segment) {
        if (segment.length >= maxBufferedRequest) {
            segment.end = Segment.End.CONTINUES;
            segment.tooLarge = true;
            return true;
        }
        return false;
    }
}
