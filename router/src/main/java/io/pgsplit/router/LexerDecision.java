package io.pgsplit.router;

import java.util.List;

/** What the lexer rules concluded about one statement: a verdict, or a text only JSqlParser can judge. */
sealed interface LexerDecision {

    record Decided(StatementVerdict verdict) implements LexerDecision {
    }

    /**
     * @param sql                 the text to hand to JSqlParser (a whole statement, or the query inside
     *                            EXPLAIN ANALYZE / COPY (...) TO STDOUT)
     * @param callsWriteFunction  whether the lexer saw a deny-listed function call in it
     * @param functions           the other calls the lexer saw, for the catalog to judge if the query may run on
     *                            a replica
     */
    record NeedsParser(String sql, boolean callsWriteFunction, List<FunctionReference> functions)
            implements LexerDecision {

        /**
         * Adds the lexer's function finding to the parser's verdict: a call is visible as name + {@code (} in
         * every syntactic position, while JSqlParser's AST walk skips some (array subscripts, for one).
         */
        StatementVerdict refine(StatementVerdict astVerdict) {
            if (astVerdict.requiresPrimary()) {
                return astVerdict;
            }
            return callsWriteFunction ? StatementVerdict.VOLATILE_FUNCTION : astVerdict.calling(functions);
        }
    }
}
