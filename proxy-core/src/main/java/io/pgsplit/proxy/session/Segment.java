package io.pgsplit.proxy.session;

import io.netty.buffer.ByteBuf;
import io.pgsplit.proxy.statements.PreparedStatementDef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The unit of routing: client messages up to a Sync, a simple Query, a FunctionCall or a Flush,
 * buffered whole (as PgDog does) so that one decision covers them and a group never spans two
 * servers. Also a lone COPY message or Terminate. The bytes stay in the session's inbound buffer;
 * this records only what routing and statement bookkeeping need.
 */
final class Segment {

    enum End {
        /** Not complete yet. */
        OPEN,
        /** Sync, Query or FunctionCall: the server answers with ReadyForQuery. */
        READY_FOR_QUERY,
        /** Flush, or a request too large to buffer: sent on, the group continues on the same server. */
        CONTINUES,
        /** CopyData, CopyDone or CopyFail: belongs to the COPY under way. */
        COPY,
        TERMINATE
    }

    /** A statement-level event, applied to the bookkeeping in order once the segment is sent. */
    sealed interface StatementEvent {
        record Parsed(PreparedStatementDef def) implements StatementEvent {
        }

        record Closed(String name) implements StatementEvent {
        }
    }

    int length;
    End end = End.OPEN;
    boolean functionCall;
    boolean simpleQuery;
    /** Cut short because the group outgrew the buffering limit; routed to the primary. */
    boolean tooLarge;
    final List<String> queries = new ArrayList<>(1);
    final List<PreparedStatementDef> parsed = new ArrayList<>(1);
    /** Statements bound or described here but parsed in an earlier segment: the target must have them. */
    final Set<PreparedStatementDef> referenced = new LinkedHashSet<>();
    final List<StatementEvent> events = new ArrayList<>(1);
    int clientParses;
    int clientCloses;
    /** Names parsed earlier in this very segment, which need nothing from earlier segments. */
    private final Map<String, PreparedStatementDef> parsedHere = new HashMap<>();
    /** Servers that refused a connection for this segment; a read tries another one. */
    final Set<String> failedServers = new LinkedHashSet<>();
    /** The bytes of a read being retried on another server; null while the bytes sit in the inbound buffer. */
    ByteBuf replay;
    /** A read is retried at most once. */
    boolean retried;
    /** What its statements are; kept while the segment waits for a connection or a drain. */
    Analysis analysis;
    /** Set when the replica pool stayed exhausted: the segment is answered with 53300. */
    String poolTimeout;
    /** After a pool timeout: only a replica with a free connection may serve this read, nothing waits twice. */
    boolean onlyReplicasWithRoom;
    /** The server chosen while its connection was being opened: routing again must not choose another. */
    Route.ToServer chosen;
    /** When this read began to wait for a replica to replay the session's fence (read-your-writes), 0 if not. */
    long fenceWaitStartedNanos;

    boolean isEmpty() {
        return length == 0;
    }

    boolean hasSql() {
        return !queries.isEmpty() || !parsed.isEmpty() || !referenced.isEmpty() || functionCall;
    }

    void query(String sql) {
        queries.add(sql);
        simpleQuery = true;
    }

    void parse(PreparedStatementDef def) {
        parsed.add(def);
        parsedHere.put(def.name(), def);
        events.add(new StatementEvent.Parsed(def));
        clientParses++;
    }

    void closeStatement(String name) {
        parsedHere.remove(name);
        events.add(new StatementEvent.Closed(name));
    }

    /** A Bind or Describe of a statement: unless parsed here, the session's definition must travel along. */
    void use(String name, Map<String, PreparedStatementDef> sessionStatements) {
        if (parsedHere.containsKey(name)) {
            return;
        }
        PreparedStatementDef def = sessionStatements.get(name);
        if (def != null) {
            referenced.add(def);
        }
    }
}
