package io.pgsplit.router;

/**
 * Statements that create objects only their session sees: temporary tables, views and sequences, and anything
 * created in the session's temporary schema {@code pg_temp}. The checks look at fixed positions, so they cost the
 * same whatever follows.
 */
final class TemporaryObjects {

    private TemporaryObjects() {
    }

    /**
     * {@code CREATE [OR REPLACE] [GLOBAL | LOCAL] {TEMP | TEMPORARY} ...}, or
     * {@code CREATE [UNLOGGED | RECURSIVE] kind [IF NOT EXISTS] pg_temp.name ...}.
     */
    static boolean createsTemporaryObject(LexedStatement statement, int create) {
        int i = create + 1;
        if (statement.isWord(i, "OR") && statement.isWord(i + 1, "REPLACE")) {
            i += 2;
        }
        if (statement.isWord(i, "GLOBAL") || statement.isWord(i, "LOCAL")) {
            i++;
        }
        if (isTemporaryKeyword(statement, i)) {
            return true;
        }
        if (statement.isWord(i, "UNLOGGED") || statement.isWord(i, "RECURSIVE")) {
            i++;
        }
        i++;
        if (statement.isWord(i, "IF") && statement.isWord(i + 1, "NOT") && statement.isWord(i + 2, "EXISTS")) {
            i += 3;
        }
        return isInTemporarySchema(statement, i);
    }

    /**
     * {@code SELECT ... INTO [GLOBAL | LOCAL] {TEMP | TEMPORARY} [TABLE] name} or {@code INTO [TABLE] pg_temp.name}
     * anywhere in the query starting at {@code from}, but not the INTO of INSERT or MERGE.
     */
    static boolean selectsIntoTemporaryTable(LexedStatement statement, int from) {
        for (int i = from; i < statement.tokenCount(); i++) {
            if (statement.isWord(i, "INTO") && !statement.isWord(i - 1, "INSERT") && !statement.isWord(i - 1, "MERGE")
                    && intoTemporaryTable(statement, i + 1)) {
                return true;
            }
        }
        return false;
    }

    static boolean isTemporaryKeyword(LexedStatement statement, int index) {
        return statement.isWord(index, "TEMP") || statement.isWord(index, "TEMPORARY");
    }

    private static boolean intoTemporaryTable(LexedStatement statement, int index) {
        int i = index;
        if (statement.isWord(i, "GLOBAL") || statement.isWord(i, "LOCAL")) {
            i++;
        }
        if (isTemporaryKeyword(statement, i)) {
            // SELECT * INTO temp FROM t creates a permanent table named "temp".
            return statement.identifier(i + 1) != null && !statement.isWord(i + 1, "FROM");
        }
        if (statement.isWord(i, "TABLE")) {
            i++;
        }
        return isInTemporarySchema(statement, i);
    }

    /** {@code pg_temp.name}, or the schema's real name {@code pg_temp_N.name}. */
    private static boolean isInTemporarySchema(LexedStatement statement, int index) {
        String schema = statement.identifier(index);
        return schema != null && statement.type(index + 1) == TokenType.DOT
                && (schema.equals("pg_temp") || schema.startsWith("pg_temp_"));
    }
}
