package io.pgsplit.proxy.session;

import io.netty.buffer.ByteBuf;
import io.pgsplit.proxy.statements.PreparedStatementDef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The unit of routing: client messages up to a Sync, a simple Query, a FunctionCall or a Flush,
 * buffered whole (as PgDog does) so that one decision covers them and a group never spans two
 * servers. Also a lone COPY message or Terminate; a CopyData message still arriving is not waited
 * for but sent on in parts, each part a COPY segment of raw bytes. The bytes stay in the session's
 * {@link RequestBuffer}; this records only what routing and statement bookkeeping need, and what
 * was learnt while routing it ({@link RoutingAttempt}), so that a request that waits is never
 * analysed from scratch again.
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
    /** A CopyData message cut where its bytes ran out: this many more of it follow, forwarded as they come. */
    int streamRest;
    // Empty lists share one empty array until something is added: most segments hold one Query or one Parse.
    final List<String> queries = new ArrayList<>();
    final List<PreparedStatementDef> parsed = new ArrayList<>();
    /** Statements bound or described here but parsed in an earlier segment, each once: the target must have them. */
    final List<PreparedStatementDef> referenced = new ArrayList<>();
    final List<StatementEvent> events = new ArrayList<>();
    int clientParses;
    int clientCloses;
    /** Names parsed earlier in this very segment, which need nothing from earlier segments; null until one is. */
    private Map<String, PreparedStatementDef> parsedHere;
    /** The bytes of a read being retried on another server; null while the bytes sit in the request buffer. */
    ByteBuf replay;
    /** A read is retried at most once. */
    boolean retried;
    /** What its statements are, once known. */
    Analysis analysis;
    private RoutingAttempt attempt;

    boolean isEmpty() {
        return length == 0;
    }

    boolean hasSql() {
        return !queries.isEmpty() || !parsed.isEmpty() || !referenced.isEmpty() || functionCall;
    }

    /** What routing this segment has met so far (refusals, waits, parse answers); made on first need. */
    RoutingAttempt attempt() {
        if (attempt == null) {
            attempt = new RoutingAttempt();
        }
        return attempt;
    }

    /** The attempt if anything happened to it, else null: the common request never needs one. */
    RoutingAttempt attemptIfAny() {
        return attempt;
    }

    /** Whether any statement text of the segment (its Queries, Parses, and the statements it binds) matches. */
    boolean anyTextMatches(Pattern pattern) {
        for (String sql : queries) {
            if (pattern.matcher(sql).find()) {
                return true;
            }
        }
        return anyDefinitionMatches(parsed, pattern) || anyDefinitionMatches(referenced, pattern);
    }

    private static boolean anyDefinitionMatches(List<PreparedStatementDef> defs, Pattern pattern) {
        for (PreparedStatementDef def : defs) {
            if (pattern.matcher(def.sql()).find()) {
                return true;
            }
        }
        return false;
    }

    void query(String sql) {
        queries.add(sql);
        simpleQuery = true;
    }

    void parse(PreparedStatementDef def) {
        parsed.add(def);
        if (parsedHere == null) {
            parsedHere = new HashMap<>(4);
        }
        parsedHere.put(def.name(), def);
        events.add(new StatementEvent.Parsed(def));
        clientParses++;
    }

    void closeStatement(String name) {
        if (parsedHere != null) {
            parsedHere.remove(name);
        }
        events.add(new StatementEvent.Closed(name));
    }

    /** A Bind or Describe of a statement: unless parsed here, the session's definition must travel along. */
    void use(String name, Map<String, PreparedStatementDef> sessionStatements) {
        if (parsedHere != null && parsedHere.containsKey(name)) {
            return;
        }
        PreparedStatementDef def = sessionStatements.get(name);
        if (def != null && !referenced.contains(def)) {
            referenced.add(def);
        }
    }
}
