package io.pgsplit.router;

import java.util.List;

/**
 * The upper-cased keywords the rules compare words with, kept as constants: {@link LexedStatement#word} hands
 * out one of these instead of a new String for the first word of nearly every statement (SELECT, INSERT, …)
 * and the other keywords it is asked about. Any other word is still upper-cased on demand.
 */
final class KnownWords {
    private static final int LONGEST = 16;
    /** By length, so a word is compared only with the keywords it could be. */
    private static final String[][] BY_LENGTH = byLength(List.of(
            "SELECT", "WITH", "VALUES", "TABLE", "EXPLAIN", "COPY", "INSERT", "UPDATE", "DELETE", "MERGE",
            "TRUNCATE", "CREATE", "ALTER", "DROP", "GRANT", "REVOKE", "COMMENT", "VACUUM", "ANALYZE", "ANALYSE",
            "CLUSTER", "REINDEX", "REFRESH", "SECURITY", "IMPORT", "REASSIGN", "CALL", "DO", "LOCK", "NOTIFY",
            "CHECKPOINT", "SET", "RESET", "SHOW", "DISCARD", "EXECUTE", "DEALLOCATE", "DECLARE", "FETCH", "MOVE",
            "CLOSE", "LISTEN", "UNLISTEN", "LOAD", "PREPARE", "BEGIN", "START", "COMMIT", "END", "ABORT",
            "ROLLBACK", "SAVEPOINT", "RELEASE", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "IS", "NULL", "AS",
            "ON", "JOIN", "LEFT", "RIGHT", "INNER", "OUTER", "GROUP", "BY", "ORDER", "LIMIT", "OFFSET", "HAVING",
            "UNION", "ALL", "DISTINCT", "CASE", "WHEN", "THEN", "ELSE", "EXISTS", "BETWEEN", "LIKE", "ILIKE",
            "FOR", "SHARE", "NOWAIT", "SKIP", "LOCKED", "KEY", "NO", "OF", "ANY", "SOME", "ARRAY", "ROW", "CAST",
            "COUNT", "SUM", "MIN", "MAX", "AVG", "COALESCE", "NULLIF", "LOCAL", "SESSION", "TRANSACTION",
            "ONLY", "READ", "WRITE"));

    private KnownWords() {
    }

    /**
     * The keyword constant for {@code sql[start, end)} compared without ASCII case, or null when it is none.
     * A word with any non-ASCII character is never one (its upper-casing is left to the caller, as before).
     */
    static String lookup(String sql, int start, int end) {
        int length = end - start;
        if (length <= 0 || length > LONGEST) {
            return null;
        }
        for (String keyword : BY_LENGTH[length]) {
            if (matches(sql, start, keyword)) {
                return keyword;
            }
        }
        return null;
    }

    private static boolean matches(String sql, int start, String keyword) {
        for (int i = 0; i < keyword.length(); i++) {
            char c = sql.charAt(start + i);
            char upper = c >= 'a' && c <= 'z' ? (char) (c - ('a' - 'A')) : c;
            if (upper != keyword.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String[][] byLength(List<String> keywords) {
        String[][] table = new String[LONGEST + 1][];
        for (int length = 0; length <= LONGEST; length++) {
            int size = length;
            table[length] = keywords.stream().filter(k -> k.length() == size).distinct().toArray(String[]::new);
        }
        return table;
    }
}
