package io.pgsplit.router;

import io.pgsplit.router.LexerDecision.Decided;
import io.pgsplit.router.LexerDecision.NeedsParser;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides SELECT / WITH / VALUES / TABLE queries from their tokens when nothing in them can make the query write
 * or lock; otherwise hands the text to JSqlParser.
 */
final class QueryRules {

    /**
     * Words that may turn a query into a write (SELECT INTO, data-modifying CTEs) or a locking read (FOR UPDATE),
     * but that the tokens alone cannot place: {@code substring(s FROM 1 FOR 2)} does not lock, and UPDATE may be
     * a column name.
     */
    private static final String[] UNCERTAIN_WORDS = {"INTO", "FOR", "INSERT", "UPDATE", "DELETE", "MERGE"};
    private static final String[] QUERY_KEYWORDS = {"SELECT", "WITH", "VALUES", "TABLE"};

    private final WriteFunctionMatcher writeFunctions;

    QueryRules(WriteFunctionMatcher writeFunctions) {
        this.writeFunctions = writeFunctions;
    }

    /** True when the token at {@code index}, after any opening parentheses, starts a query. */
    static boolean startsQuery(LexedStatement statement, int index) {
        int i = index;
        while (statement.type(i) == TokenType.OPEN_PAREN) {
            i++;
        }
        return isAnyWord(statement, i, QUERY_KEYWORDS);
    }

    /**
     * Decides the query formed by tokens {@code [from, to)}. A query that may run on a replica carries its
     * function calls, for the catalog to judge.
     */
    LexerDecision decide(LexedStatement statement, int from, int to) {
        boolean uncertain = false;
        boolean callsWriteFunction = false;
        boolean callsAny = false;
        for (int i = from; i < to; i++) {
            if (!uncertain && isAnyWord(statement, i, UNCERTAIN_WORDS)) {
                uncertain = true;
            }
            if (i + 1 < to && statement.type(i + 1) == TokenType.OPEN_PAREN) {
                callsAny = true;
                if (!callsWriteFunction && callsWriteFunction(statement, i)) {
                    callsWriteFunction = true;
                }
            }
        }
        List<FunctionReference> calls = callsAny && !callsWriteFunction ? calls(statement, from, to) : List.of();
        if (uncertain) {
            return new NeedsParser(statement.text(from, to), callsWriteFunction, calls);
        }
        return new Decided(callsWriteFunction ? StatementVerdict.VOLATILE_FUNCTION : StatementVerdict.readCalling(calls));
    }

    private static List<FunctionReference> calls(LexedStatement statement, int from, int to) {
        List<FunctionReference> calls = new ArrayList<>(2);
        FunctionCallScanner.scan(statement, from, to, calls);
        return calls.isEmpty() ? List.of() : calls;
    }

    /** {@code name(}: a call, whatever schema qualifies it. A Unicode-escaped name cannot be checked, so it counts. */
    private boolean callsWriteFunction(LexedStatement statement, int nameIndex) {
        if (statement.type(nameIndex) == TokenType.UNICODE_IDENTIFIER) {
            return true;
        }
        String name = statement.identifier(nameIndex);
        return name != null && writeFunctions.matches(name);
    }

    private static boolean isAnyWord(LexedStatement statement, int index, String[] keywords) {
        for (String keyword : keywords) {
            if (statement.isWord(index, keyword)) {
                return true;
            }
        }
        return false;
    }
}
