package io.pgsplit.router;

/** What the lexer rules concluded about one statement: a verdict, or a text only JSqlParser can judge. */
sealed interface LexerDecision {

    record Decided(StatementVerdict verdict) implements LexerDecision {
    }

    /**
     * @param sql                 the text to hand to JSqlParser (a whole statement, or the query inside
     *                            EXPLAIN ANALYZE / COPY (...) TO STDOUT)
     * @param callsWriteFunction  whether the lexer saw a deny-listed function call in it
     */
    record NeedsParser(String sql, boolean callsWriteFunction) implements LexerDecision {

        /**
         * Adds the lexer's function finding to the parser's verdict: a call is visible as name + {@code (} in
         * every syntactic position, while JSqlParser's AST walk skips some (array subscripts, for one).
         */
        StatementVerdict refine(StatementVerdict astVerdict) {
            return callsWriteFunction && !astVerdict.requiresPrimary() ? StatementVerdict.VOLATILE_FUNCTION
                    : astVerdict;
        }
    }
}
