package io.pgsplit.router;

import io.pgsplit.router.LexerDecision.Decided;

/**
 * The lexer-only classification of one statement. Most statements are settled by their first keyword; queries
 * are settled when their tokens leave no doubt ({@link QueryRules}); the rest go to JSqlParser.
 */
final class KeywordRules {

    private final QueryRules queries;
    private final WrapperRules wrappers;

    KeywordRules(WriteFunctionMatcher writeFunctions) {
        this.queries = new QueryRules(writeFunctions);
        this.wrappers = new WrapperRules(queries);
    }

    LexerDecision decide(LexedStatement statement) {
        if (statement.unterminated()) {
            return new Decided(StatementVerdict.UNPARSED);
        }
        LexerDecision decision = statement.isEmpty() ? new Decided(StatementVerdict.EMPTY) : byFirstKeyword(statement);
        if (!statement.primaryHint()) {
            return decision;
        }
        // The hint settles the target, so the parser is not needed even for queries.
        StatementVerdict nominal = decision instanceof Decided decided ? decided.verdict() : StatementVerdict.READ;
        return new Decided(nominal.onPrimaryBecause(RouteReason.HINT));
    }

    private LexerDecision byFirstKeyword(LexedStatement statement) {
        String keyword = statement.word(0);
        if (keyword == null) {
            return QueryRules.startsQuery(statement, 0) ? queries.decide(statement, 0, statement.tokenCount())
                    : new Decided(StatementVerdict.UNPARSED);
        }
        return switch (keyword) {
            case "SELECT", "WITH", "VALUES", "TABLE" -> queries.decide(statement, 0, statement.tokenCount());
            case "EXPLAIN" -> wrappers.explain(statement, 0);
            case "COPY" -> wrappers.copy(statement, 0);
            default -> new Decided(verdictFor(keyword, statement));
        };
    }

    private static StatementVerdict verdictFor(String keyword, LexedStatement statement) {
        return switch (keyword) {
            case "INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "CREATE", "ALTER", "DROP", "GRANT", "REVOKE",
                    "COMMENT", "VACUUM", "ANALYZE", "ANALYSE", "CLUSTER", "REINDEX", "REFRESH", "SECURITY",
                    "IMPORT", "REASSIGN" -> StatementVerdict.WRITE;
            case "CALL", "DO", "LOCK", "NOTIFY", "CHECKPOINT" -> StatementVerdict.UTILITY;
            case "SET", "RESET" -> StatementVerdict.LOCAL_SESSION;
            case "SHOW" -> StatementVerdict.READ;
            case "DISCARD", "EXECUTE", "DEALLOCATE", "DECLARE", "FETCH", "MOVE", "CLOSE", "LISTEN", "UNLISTEN",
                    "LOAD" -> StatementVerdict.PRIMARY_SESSION;
            case "PREPARE" -> statement.isWord(1, "TRANSACTION") ? TransactionRules.prepareTransaction()
                    : StatementVerdict.PRIMARY_SESSION;
            case "BEGIN", "START" -> TransactionRules.begin(statement, 0);
            case "COMMIT", "END", "ABORT", "ROLLBACK" -> TransactionRules.finish(statement, 0);
            case "SAVEPOINT", "RELEASE" -> TransactionRules.savepoint();
            default -> StatementVerdict.UNPARSED;
        };
    }
}
