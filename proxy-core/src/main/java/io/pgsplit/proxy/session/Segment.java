package io.pgsplit.proxy.session;

import io.netty.buffer.ByteBuf;
import io.pgsplit.proxy.statements.PreparedStatementDef;
import java.util.ArrayList;
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
    // Read-only views for everyone else; the shared empty list until something is added, then an immutable list of
    // one for the common case (one Query, one Parse, one statement bound), a growing list only from the second on.
    List<String> queries = List.of();
    List<PreparedStatementDef> parsed = List.of();
    /** Statements bound or described here but parsed in an earlier segment, each once: the target must have them. */
    List<PreparedStatementDef> referenced = List.of();
    List<StatementEvent> events = List.of();
    /** Parse, Bind, Describe and Close messages that name a statement (not the unnamed one): renamed for the server. */
    int namedStatementMessages;
    /** The statement named by a Bind the request starts with, as the scanner read it; else null. */
    String leadingBindName;
    int clientParses;
    int clientCloses;
    /** The bytes of a read being retried on another server; null while the bytes sit in the request buffer. */
    ByteBuf replay;
    /** A read is retried at most once. */
    boolean retried;
    /** What its statements are, once known. */
    Analysis analysis;
    private RoutingAttempt attempt;

    /** Some message names a statement: the request is renamed for its server. */
    boolean namesStatements() {
        return namedStatementMessages > 0;
    }

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
        queries = added(queries, sql);
        simpleQuery = true;
    }

    void parse(PreparedStatementDef def) {
        parsed = added(parsed, def);
        events = added(events, new StatementEvent.Parsed(def));
        clientParses++;
    }

    void closeStatement(String name) {
        events = added(events, new StatementEvent.Closed(name));
    }

    /**
     * Whether {@code name} was parsed earlier in this very segment and not closed since: then it needs nothing
     * from earlier segments. A backwards walk over the few events of a group, cheaper than a map per request.
     */
    private boolean parsedHere(String name) {
        for (int i = events.size() - 1; i >= 0; i--) {
            StatementEvent event = events.get(i);
            if (event instanceof StatementEvent.Closed closed && closed.name().equals(name)) {
                return false;
            }
            if (event instanceof StatementEvent.Parsed parse && parse.def().name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** One element is an immutable list of one (a single object); a second makes it a list that grows. */
    private static <T> List<T> added(List<T> list, T element) {
        if (list.isEmpty()) {
            return List.of(element);
        }
        List<T> growable = list instanceof ArrayList<T> ? list : new ArrayList<>(list);
        growable.add(element);
        return growable;
    }

    /** A Bind or Describe of a statement: unless parsed here, the session's definition must travel along. */
    void use(String name, Map<String, PreparedStatementDef> sessionStatements) {
        if (parsedHere(name)) {
            return;
        }
        PreparedStatementDef def = sessionStatements.get(name);
        if (def != null && !referenced.contains(def)) {
            referenced = added(referenced, def);
        }
    }
}
