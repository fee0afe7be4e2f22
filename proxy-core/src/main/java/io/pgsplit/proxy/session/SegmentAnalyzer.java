package io.pgsplit.proxy.session;

import io.pgsplit.proxy.catalog.SessionCatalog;
import io.pgsplit.proxy.statements.PreparedStatementDef;
import io.pgsplit.proxy.state.SessionState;
import io.pgsplit.router.Classification;
import io.pgsplit.router.CodeCalls;
import io.pgsplit.router.RouteReason;
import io.pgsplit.router.SessionCommand;
import io.pgsplit.router.StatementClassifier;
import io.pgsplit.router.StatementKind;
import io.pgsplit.router.catalog.SessionRisk;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Understands a request's statements: the combined classification, the session commands among them,
 * and the SQL-prepared statements they EXECUTE (an EXECUTE of a prepared read may run on a replica,
 * so it is routed as what it executes). Reads the classifier's cache and lexer only; a statement that
 * needs the parser yields a {@link PendingParse}, whose answer {@link #learn} keeps with the request.
 * What the text says is then judged against the database's catalog ({@link SessionCatalog}): a read
 * that calls a function that may write goes to the primary. Only the text's classification is kept
 * (cached, on a statement, with the request); the catalog's verdict is taken afresh every time.
 */
final class SegmentAnalyzer {
    private final Supplier<StatementClassifier> classifier;
    private final Function<String, List<SessionCommand>> sessionCommands;
    private final SessionState state;
    private final SessionCatalog catalog;
    /** Reused by every analysis of this session's requests: they run one at a time, on its event loop. */
    private final Parts parts = new Parts();
    /** The last analysis without session commands or EXECUTEs: a session repeating a statement shares it. */
    private Analysis lastPlain = Analysis.NO_SQL;

    /** @param classifier read per request: a reload may replace it */
    SegmentAnalyzer(Supplier<StatementClassifier> classifier, Function<String, List<SessionCommand>> sessionCommands,
                    SessionState state, SessionCatalog catalog) {
        this.classifier = classifier;
        this.sessionCommands = sessionCommands;
        this.state = state;
        this.catalog = catalog;
    }

    /** The request's analysis (also kept on it), or the parse it waits for. */
    AnalysisResult analyze(Segment s) {
        if (s.analysis == null) {
            Analysis bound = boundStatement(s);
            AnalysisResult result = bound != null ? bound
                    : s.queries.isEmpty() && s.parsed.isEmpty() && s.referenced.isEmpty()
                    ? Analysis.NO_SQL : parts.analyze(s);
            if (result instanceof PendingParse) {
                return result;
            }
            s.analysis = (Analysis) result;
        }
        return s.analysis;
    }

    /**
     * The commonest request of a prepared-statement client, analysed without collecting anything: it only binds
     * one statement prepared earlier, whose classification is known already. Null for any other request.
     */
    private Analysis boundStatement(Segment s) {
        if (!s.queries.isEmpty() || !s.parsed.isEmpty() || s.referenced.size() != 1) {
            return null;
        }
        PreparedStatementDef def = s.referenced.get(0);
        Classification classification = def.classification();
        if (classification == null || executedStatement(classification, def.sessionCommands()) != null) {
            return null;
        }
        return analysis(catalog.judge(classification, def.sql()), def.sessionCommands(), List.of(),
                catalog.sessionRisk(classification));
    }

    /** An analysis, the last plain one again when it says the same (a record: sharing it is safe). */
    private Analysis analysis(Classification classification, List<SessionCommand> commands, List<String> executed,
                              SessionRisk risk) {
        if (!commands.isEmpty() || !executed.isEmpty()) {
            return new Analysis(classification, commands, executed, risk);
        }
        Analysis last = lastPlain;
        if (last.classification() != classification || last.risk() != risk) {
            last = new Analysis(classification, List.of(), List.of(), risk);
            lastPlain = last;
        }
        return last;
    }

    /** The parser answered: the answer stays with the statement, or with the request for a simple Query's text. */
    void learn(Segment s, PendingParse pending, Classification classification) {
        // Nothing is known of a text without an answer, so nothing proves the code it runs harmless either.
        Classification known = classification == null ? Classification.unparsed().withCode(CodeCalls.OPAQUE)
                : classification;
        PreparedStatementDef def = pending.def();
        if (def == null) {
            s.attempt().parsed(pending.sql(), known);
        } else if (def.classification() == null) {
            def.classification(known);
            def.sessionCommands(commandsIn(def.sql(), known));
        }
    }

    /** Plain reads cannot change session state; only the rest is read for session commands. */
    private List<SessionCommand> commandsIn(String sql, Classification classification) {
        boolean mayChangeState = classification.kinds().contains(StatementKind.SESSION)
                || classification.kinds().contains(StatementKind.UTILITY)
                || classification.requiresPrimary() && classification.reason() != RouteReason.LOCKING_READ
                && classification.reason() != RouteReason.TRANSACTION;
        return mayChangeState ? sessionCommands.apply(sql) : List.of();
    }

    /** The SQL-prepared statement a string consisting of one EXECUTE runs, when the session knows it. */
    private SessionCommand.Prepare executedStatement(Classification classification, List<SessionCommand> found) {
        if (classification.kinds().size() == 1 && found.size() == 1 && found.get(0) instanceof SessionCommand.Execute execute) {
            return state.sqlPrepared(execute.name());
        }
        return null;
    }

    /**
     * One analysis in progress: the parts found so far, or the first parse it must wait for. Every field is set
     * afresh by {@link #analyze}, so one instance serves the session's requests in turn.
     */
    private final class Parts {
        private Segment segment;
        private StatementClassifier classifier;
        // Most requests hold one statement and no session command: nothing is collected for them.
        private Classification first;
        private List<Classification> classifications;
        private List<SessionCommand> commands;
        private List<String> executed;
        private SessionRisk risk;
        private PendingParse pending;

        AnalysisResult analyze(Segment request) {
            segment = request;
            classifier = SegmentAnalyzer.this.classifier.get();
            first = null;
            classifications = null;
            commands = List.of();
            executed = List.of();
            risk = SessionRisk.NONE;
            pending = null;
            try {
                return collect();
            } finally {
                segment = null; // nothing of the request, nor a classifier a reload replaced, outlives it here
                classifier = null;
                pending = null;
            }
        }

        private AnalysisResult collect() {
            List<String> queries = segment.queries;
            for (int i = 0; i < queries.size(); i++) {
                if (!addText(queries.get(i))) {
                    return pending;
                }
            }
            if (!addStatements(segment.parsed) || !addStatements(segment.referenced)) {
                return pending;
            }
            Classification combined = classifications == null ? first : SegmentClassification.combine(classifications);
            return analysis(combined, commands, executed, risk);
        }

        private void add(Classification classification) {
            if (first == null) {
                first = classification;
                return;
            }
            if (classifications == null) {
                classifications = new ArrayList<>(4);
                classifications.add(first);
            }
            classifications.add(classification);
        }

        private void addCommands(List<SessionCommand> found) {
            if (!found.isEmpty()) {
                if (commands.isEmpty()) {
                    commands = new ArrayList<>(found.size() + 1);
                }
                commands.addAll(found);
            }
        }

        private void addExecuted(String name) {
            if (executed.isEmpty()) {
                executed = new ArrayList<>(1);
            }
            executed.add(name);
        }

        private boolean addText(String sql) {
            Classification classification = known(sql, null);
            if (classification == null) {
                return false;
            }
            List<SessionCommand> found = commandsIn(sql, classification);
            SessionCommand.Prepare prepared = executedStatement(classification, found);
            String routed = sql;
            if (prepared != null) {
                routed = prepared.statementSql();
                classification = known(routed, null);
                if (classification == null) {
                    return false;
                }
                addExecuted(prepared.name());
                addCommands(commandsIn(routed, classification));
            }
            add(catalog.judge(classification, routed));
            noteRisk(classification);
            addCommands(found);
            deallocated(found);
            return true;
        }

        /**
         * A DEALLOCATE of a statement the session holds must find it on the connection, which may have
         * served another client since the PREPARE: it is replayed there first, as for an EXECUTE.
         */
        private void deallocated(List<SessionCommand> found) {
            for (int i = 0; i < found.size(); i++) { // indexed: per statement, no iterator
                SessionCommand command = found.get(i);
                if (command instanceof SessionCommand.Deallocate deallocate && deallocate.name() != null
                        && state.sqlPrepared(deallocate.name()) != null) {
                    addExecuted(deallocate.name());
                }
            }
        }

        private boolean addStatements(List<PreparedStatementDef> defs) {
            for (int i = 0; i < defs.size(); i++) {
                PreparedStatementDef def = defs.get(i);
                Classification classification = def.classification();
                if (classification == null) {
                    classification = known(def.sql(), def);
                    if (classification == null) {
                        return false;
                    }
                    def.classification(classification);
                    def.sessionCommands(commandsIn(def.sql(), classification));
                }
                SessionCommand.Prepare prepared = executedStatement(classification, def.sessionCommands());
                String routed = def.sql();
                if (prepared != null) {
                    // Not cached on the definition: DEALLOCATE and PREPARE may give the name another statement.
                    routed = prepared.statementSql();
                    classification = known(routed, null);
                    if (classification == null) {
                        return false;
                    }
                    addExecuted(prepared.name());
                    addCommands(commandsIn(routed, classification));
                }
                add(catalog.judge(classification, routed));
                noteRisk(classification);
                addCommands(def.sessionCommands());
                deallocated(def.sessionCommands());
            }
            return true;
        }

        /** The first risk found stands for the request: any one makes its connection need a reset. */
        private void noteRisk(Classification classification) {
            if (risk == SessionRisk.NONE) {
                risk = catalog.sessionRisk(classification);
            }
        }

        /** From this request's own parse answers, the cache or the lexer; null after starting a parse. */
        private Classification known(String sql, PreparedStatementDef def) {
            RoutingAttempt attempt = segment.attemptIfAny();
            Classification parsed = attempt == null ? null : attempt.parsed(sql);
            if (parsed != null) {
                return parsed;
            }
            Classification fast = classifier.classifyFast(sql);
            if (fast == null) {
                pending = new PendingParse(sql, def, classifier.classify(sql));
            }
            return fast;
        }
    }
}
