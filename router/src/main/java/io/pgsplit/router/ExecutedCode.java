package io.pgsplit.router;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the {@link CodeCalls} of one statement. Errs toward seeing calls: a name taken for a call that is none
 * (a table's column list in DDL) is no built-in, so it costs a connection reset, never a leak. The column list
 * of an INSERT, MERGE or COPY target and {@code ON CONFLICT (…)} are not calls, so plain writes cost nothing.
 */
final class ExecutedCode {

    /** Statements that run user code no call in their text names: index expressions, view queries, DO bodies. */
    private static final String[] OPAQUE = {"DO", "REFRESH", "ANALYZE", "ANALYSE", "VACUUM", "CLUSTER", "REINDEX"};
    /** Statements that only change the catalog, running no code of their own (event triggers aside). */
    private static final String[] NO_CODE = {"GRANT", "REVOKE", "COMMENT", "DROP", "SECURITY", "PREPARE"};
    /**
     * In CREATE and ALTER: words followed by a parenthesis that are syntax or a type modifier, not a call; the
     * calls inside their parentheses are still seen.
     */
    private static final Set<String> DDL_SYNTAX = Set.of("KEY", "UNIQUE", "CHECK", "INCLUDE", "EXCLUDE", "RANGE",
            "LIST", "HASH", "VARCHAR", "NUMERIC", "CHAR", "BPCHAR", "TIMESTAMP", "TIMESTAMPTZ", "TIME", "TIMETZ",
            "INTERVAL", "BIT", "VARBIT", "FLOAT");
    /** In CREATE and ALTER: the word before a name whose parenthesis lists columns or parameters. */
    private static final String[] DDL_NAMED = {"TABLE", "EXISTS", "REFERENCES", "FUNCTION", "PROCEDURE", "VIEW",
            "TYPE", "AGGREGATE"};

    private ExecutedCode() {
    }

    static CodeCalls of(LexedStatement statement) {
        if (statement.isEmpty() || statement.unterminated() || statement.isAnyWord(0, NO_CODE)) {
            return CodeCalls.NONE; // nothing runs (PREPARE only stores; EXECUTE is judged by what it runs)
        }
        if (statement.isAnyWord(0, OPAQUE) || statement.isWord(0, "CREATE") && createsIndex(statement)) {
            return CodeCalls.OPAQUE;
        }
        boolean ddl = statement.isWord(0, "CREATE") || statement.isWord(0, "ALTER");
        List<FunctionReference> calls = new ArrayList<>(0);
        FunctionCallScanner.scan(statement, 0, statement.tokenCount(), ddl ? DDL_SYNTAX : Set.of(),
                name -> isTargetColumnList(statement, name) || isTrackedSetConfig(statement, name)
                        || ddl && isNamedObject(statement, name), calls);
        return calls.isEmpty() ? CodeCalls.NONE : new CodeCalls(calls, false);
    }

    /** {@code set_config('name', 'value', false)} with constants: the proxy tracks the setting itself. */
    private static boolean isTrackedSetConfig(LexedStatement statement, int name) {
        return statement.isWord(name, "SET_CONFIG") && SessionFunctionCalls.isReplayableSetConfig(statement, name + 1);
    }

    /** {@code INSERT INTO t (}, {@code MERGE INTO s.t (}, {@code COPY t (}, {@code ON CONFLICT (}. */
    private static boolean isTargetColumnList(LexedStatement statement, int name) {
        int before = name - 1;
        if (statement.type(before) == TokenType.DOT) {
            before = name - 3;
        }
        return statement.isWord(before, "INTO") && (statement.isWord(0, "INSERT") || statement.isWord(0, "MERGE"))
                || before == 0 && statement.isWord(0, "COPY")
                || statement.isWord(name, "CONFLICT") && statement.isWord(name - 1, "ON");
    }

    private static boolean isNamedObject(LexedStatement statement, int name) {
        int before = statement.type(name - 1) == TokenType.DOT ? name - 3 : name - 1;
        return statement.isAnyWord(before, DDL_NAMED);
    }

    private static boolean createsIndex(LexedStatement statement) {
        for (int i = 1; i < Math.min(4, statement.tokenCount()); i++) {
            if (statement.isWord(i, "INDEX")) {
                return true;
            }
        }
        return false;
    }
}
