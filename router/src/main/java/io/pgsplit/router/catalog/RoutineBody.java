package io.pgsplit.router.catalog;

import io.pgsplit.router.FunctionCallScanner;
import io.pgsplit.router.FunctionReference;
import io.pgsplit.router.LexedStatement;
import io.pgsplit.router.SqlLexer;
import io.pgsplit.router.TokenType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the source of a SQL or PL/pgSQL function shows, read token by token (strings and comments skipped) and
 * conservatively: any word that starts a statement which writes, takes row locks, changes session state or runs
 * SQL built at run time ({@code EXECUTE}) counts as a write, wherever it stands; every call is listed so that the
 * functions it calls can be judged in turn.
 *
 * @param writes whether the source may write by itself
 * @param calls  the functions it calls
 */
record RoutineBody(boolean writes, List<FunctionReference> calls) {

    private static final Set<String> WRITING_WORDS = Set.of(
            "INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "CREATE", "ALTER", "DROP", "GRANT", "REVOKE",
            "COMMENT", "SECURITY", "REASSIGN", "IMPORT", "VACUUM", "ANALYZE", "ANALYSE", "CLUSTER", "REINDEX",
            "REFRESH", "COPY", "CALL", "EXECUTE", "DO", "LOCK", "NOTIFY", "LISTEN", "UNLISTEN", "SET", "RESET",
            "COMMIT", "ROLLBACK", "SAVEPOINT", "PREPARE", "DEALLOCATE", "DISCARD", "LOAD", "CHECKPOINT");
    /** PL/pgSQL statements that take a parenthesis without calling anything. */
    private static final Set<String> PLPGSQL_SYNTAX = Set.of(
            "IF", "ELSIF", "ELSEIF", "WHILE", "RETURN", "QUERY", "PERFORM", "EXIT", "CONTINUE", "LOOP", "FOREACH",
            "SLICE", "STRICT", "RAISE", "ASSERT", "NEXT", "CURSOR", "SCROLL", "DECLARE", "BEGIN", "EXCEPTION");
    private static final RoutineBody WRITES = new RoutineBody(true, List.of());

    static RoutineBody of(String language, String source) {
        boolean sql = "sql".equals(language);
        List<FunctionReference> calls = new ArrayList<>();
        for (LexedStatement statement : SqlLexer.split(source)) {
            if (statement.unterminated() || writes(statement, sql)) {
                return WRITES;
            }
            FunctionCallScanner.scan(statement, 0, statement.tokenCount(), sql ? Set.of() : PLPGSQL_SYNTAX, calls);
        }
        return new RoutineBody(false, calls);
    }

    /** SELECT … INTO creates a table in a SQL function; in PL/pgSQL it only assigns variables. */
    private static boolean writes(LexedStatement statement, boolean sql) {
        for (int i = 0; i < statement.tokenCount(); i++) {
            if (statement.type(i) != TokenType.WORD) {
                continue;
            }
            String word = statement.word(i);
            if (WRITING_WORDS.contains(word) || sql && word.equals("INTO")
                    || word.equals("SHARE") && (statement.isWord(i - 1, "FOR") || statement.isWord(i - 1, "KEY"))) {
                return true;
            }
        }
        return false;
    }
}
