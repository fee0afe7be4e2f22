package io.pgsplit.router;

import io.pgsplit.router.LexerDecision.Decided;

/** EXPLAIN and COPY, whose routing depends on the statement or query they wrap. */
final class WrapperRules {

    private static final Decided READ = new Decided(StatementVerdict.READ);
    private static final Decided WRITE = new Decided(StatementVerdict.WRITE);
    private static final Decided UNPARSED = new Decided(StatementVerdict.UNPARSED);

    private final QueryRules queries;

    WrapperRules(QueryRules queries) {
        this.queries = queries;
    }

    /**
     * Without ANALYZE, EXPLAIN only plans, so it is a read whatever it explains; with ANALYZE the statement runs
     * and routes like itself. EXECUTE needs the prepared statement that lives on the session's backend.
     */
    LexerDecision explain(LexedStatement statement, int first) {
        int i = first + 1;
        boolean analyze = false;
        if (statement.type(i) == TokenType.OPEN_PAREN) {
            int close = statement.matchingParen(i);
            if (close < 0) {
                return UNPARSED;
            }
            analyze = optionsEnableAnalyze(statement, i + 1, close);
            i = close + 1;
        } else {
            if (isAnalyze(statement, i)) {
                analyze = true;
                i++;
            }
            if (statement.isWord(i, "VERBOSE")) {
                i++;
            }
        }
        if (statement.isWord(i, "EXECUTE") || statement.isWord(i, "DECLARE")) {
            return new Decided(StatementVerdict.PRIMARY_SESSION);
        }
        if (QueryRules.startsQuery(statement, i)) {
            return analyze ? queries.decide(statement, i, statement.tokenCount()) : READ;
        }
        if (modifiesData(statement, i) || statement.isWord(i, "CREATE")) {
            return analyze ? WRITE : READ;
        }
        return UNPARSED;
    }

    /**
     * COPY ... FROM loads data; COPY ... TO STDOUT reads; COPY ... TO 'file' | PROGRAM writes on the server.
     * COPY (query) TO STDOUT routes like the query.
     */
    LexerDecision copy(LexedStatement statement, int first) {
        int i = first + 1;
        if (statement.type(i) == TokenType.OPEN_PAREN) {
            int close = statement.matchingParen(i);
            if (close < 0 || !statement.isWord(close + 1, "TO")) {
                return UNPARSED;
            }
            return statement.isWord(close + 2, "STDOUT") ? copiedQuery(statement, i + 1, close) : WRITE;
        }
        i = afterQualifiedName(statement, i);
        if (statement.type(i) == TokenType.OPEN_PAREN) {
            int close = statement.matchingParen(i);
            if (close < 0) {
                return UNPARSED;
            }
            i = close + 1;
        }
        if (statement.isWord(i, "FROM")) {
            return WRITE;
        }
        if (statement.isWord(i, "TO")) {
            return statement.isWord(i + 1, "STDOUT") ? READ : WRITE;
        }
        return UNPARSED;
    }

    private LexerDecision copiedQuery(LexedStatement statement, int from, int to) {
        if (QueryRules.startsQuery(statement, from)) {
            return queries.decide(statement, from, to);
        }
        return modifiesData(statement, from) ? WRITE : UNPARSED;
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

    private static boolean modifiesData(LexedStatement statement, int index) {
        return statement.isWord(index, "INSERT") || statement.isWord(index, "UPDATE")
                || statement.isWord(index, "DELETE") || statement.isWord(index, "MERGE");
    }

    /** Skips {@code name}, {@code schema.name} and quoted parts; returns the index after the name. */
    private static int afterQualifiedName(LexedStatement statement, int index) {
        int i = index;
        while (isNamePart(statement.type(i))) {
            i++;
            if (statement.type(i) != TokenType.DOT) {
                break;
            }
            i++;
        }
        return i;
    }

    private static boolean isNamePart(TokenType type) {
        return type == TokenType.WORD || type == TokenType.QUOTED_IDENTIFIER || type == TokenType.UNICODE_IDENTIFIER;
    }
}
