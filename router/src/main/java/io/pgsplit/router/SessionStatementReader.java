package io.pgsplit.router;

import io.pgsplit.router.SessionCommand.CreateTemporary;
import io.pgsplit.router.SessionCommand.LoadLibrary;
import io.pgsplit.router.SessionCommand.Unreplayable;
import java.util.List;

/**
 * Reads the session commands of one statement, choosing the rules by its leading keyword. Function calls are
 * looked for only in statements that run them now: a view, a function body or a prepared statement only stores
 * its query.
 */
final class SessionStatementReader {

    private SessionStatementReader() {
    }

    static void read(LexedStatement statement, List<SessionCommand> out) {
        String keyword = statement.word(0);
        if (keyword == null) {
            if (QueryRules.startsQuery(statement, 0)) {
                query(statement, 0, out);
            }
            return;
        }
        switch (keyword) {
            case "SET" -> SetStatements.set(statement, out);
            case "RESET" -> SetStatements.reset(statement, out);
            case "SELECT", "WITH", "VALUES", "TABLE" -> query(statement, 0, out);
            case "INSERT", "UPDATE", "DELETE", "MERGE", "CALL", "COPY" ->
                    SessionFunctionCalls.scan(statement, 0, statement.tokenCount(), out);
            case "CREATE" -> create(statement, 0, out);
            case "EXPLAIN" -> explain(statement, out);
            case "DO" -> {
                if (DoBlocks.mayChangeSessionState(statement)) {
                    out.add(new Unreplayable("DO"));
                }
            }
            case "PREPARE" -> SessionObjects.prepare(statement, out);
            case "EXECUTE" -> SessionObjects.execute(statement, 0, out);
            case "DEALLOCATE" -> SessionObjects.deallocate(statement, out);
            case "DECLARE" -> SessionObjects.declareCursor(statement, out);
            case "CLOSE" -> SessionObjects.closeCursor(statement, out);
            case "LISTEN" -> SessionObjects.listen(statement, out);
            case "UNLISTEN" -> SessionObjects.unlisten(statement, out);
            case "DISCARD" -> SessionObjects.discard(statement, out);
            case "LOAD" -> out.add(new LoadLibrary());
            default -> {
            }
        }
    }

    /** The command for a session statement whose form the rules do not know: the proxy pins rather than guess. */
    static Unreplayable unrecognised(String keyword) {
        return new Unreplayable(keyword + " in an unrecognised form");
    }

    private static void query(LexedStatement statement, int first, List<SessionCommand> out) {
        if (TemporaryObjects.selectsIntoTemporaryTable(statement, first)) {
            out.add(new CreateTemporary());
        }
        SessionFunctionCalls.scan(statement, first, statement.tokenCount(), out);
    }

    private static void create(LexedStatement statement, int first, List<SessionCommand> out) {
        if (TemporaryObjects.createsTemporaryObject(statement, first)) {
            out.add(new CreateTemporary());
        }
        int query = queryRunByCreate(statement, first);
        if (query < 0) {
            return;
        }
        if (statement.isWord(query, "EXECUTE")) {
            SessionObjects.execute(statement, query, out);
        } else {
            SessionFunctionCalls.scan(statement, query, statement.tokenCount(), out);
        }
    }

    /**
     * Where the query starts in {@code CREATE TABLE ... AS} and {@code CREATE MATERIALIZED VIEW ... AS}, which run
     * it at once; -1 for every other CREATE, and when {@code WITH NO DATA} leaves the query unrun.
     */
    private static int queryRunByCreate(LexedStatement statement, int first) {
        int i = first + 1;
        if (statement.isWord(i, "GLOBAL") || statement.isWord(i, "LOCAL")) {
            i++;
        }
        if (TemporaryObjects.isTemporaryKeyword(statement, i) || statement.isWord(i, "UNLOGGED")) {
            i++;
        }
        if (statement.isWord(i, "MATERIALIZED") && statement.isWord(i + 1, "VIEW")) {
            i++;
        } else if (!statement.isWord(i, "TABLE")) {
            return -1;
        }
        int last = statement.tokenCount() - 1;
        if (statement.isWord(last - 2, "WITH") && statement.isWord(last - 1, "NO") && statement.isWord(last, "DATA")) {
            return -1;
        }
        int depth = 0;
        for (int j = i + 1; j <= last; j++) {
            TokenType type = statement.type(j);
            if (type == TokenType.OPEN_PAREN) {
                depth++;
            } else if (type == TokenType.CLOSE_PAREN) {
                depth--;
            } else if (depth == 0 && statement.isWord(j, "AS")) {
                return j + 1;
            }
        }
        return -1;
    }

    /**
     * EXPLAIN without ANALYZE only plans, so nothing it wraps runs; EXPLAIN EXECUTE still needs the prepared
     * statement, which exists only on the backend that prepared it.
     */
    private static void explain(LexedStatement statement, List<SessionCommand> out) {
        int i = 1;
        boolean analyze;
        if (statement.type(i) == TokenType.OPEN_PAREN) {
            int close = statement.matchingParen(i);
            if (close < 0) {
                return;
            }
            analyze = optionsEnableAnalyze(statement, i + 1, close);
            i = close + 1;
        } else {
            analyze = isAnalyze(statement, i);
            if (analyze) {
                i++;
            }
            if (statement.isWord(i, "VERBOSE")) {
                i++;
            }
        }
        if (statement.isWord(i, "EXECUTE")) {
            SessionObjects.execute(statement, i, out);
        } else if (analyze && statement.isWord(i, "CREATE")) {
            create(statement, i, out);
        } else if (analyze && QueryRules.startsQuery(statement, i)) {
            query(statement, i, out);
        } else if (analyze) {
            // INSERT, UPDATE, DELETE, MERGE, and DECLARE, which under EXPLAIN runs its query without a cursor.
            SessionFunctionCalls.scan(statement, i, statement.tokenCount(), out);
        }
    }

    private static boolean optionsEnableAnalyze(LexedStatement statement, int from, int to) {
        for (int i = from; i < to; i++) {
            if (isAnalyze(statement, i)) {
                return !statement.isWord(i + 1, "FALSE") && !statement.isWord(i + 1, "OFF");
            }
        }
        return false;
    }

    private static boolean isAnalyze(LexedStatement statement, int index) {
        return statement.isWord(index, "ANALYZE") || statement.isWord(index, "ANALYSE");
    }
}
