package io.pgsplit.proxy.commands;

import io.pgsplit.router.LexedStatement;
import io.pgsplit.router.SqlLexer;
import io.pgsplit.router.TokenType;

/** The {@code $n} parameters a statement text uses. */
final class Parameters {

    private Parameters() {
    }

    /** The highest n of the {@code $n} in {@code sql}, 0 when there is none (literals and comments are skipped). */
    static int highest(String sql) {
        int highest = 0;
        for (LexedStatement statement : SqlLexer.split(sql)) {
            for (int i = 0; i < statement.tokenCount(); i++) {
                int start = statement.startOf(i);
                if (statement.type(i) == TokenType.LITERAL && sql.charAt(start) == '$'
                        && statement.endOf(i) > start + 1 && Character.isDigit(sql.charAt(start + 1))) {
                    highest = Math.max(highest, parse(sql, start + 1, statement.endOf(i)));
                }
            }
        }
        return highest;
    }

    private static int parse(String sql, int from, int to) {
        try {
            return Integer.parseInt(sql.substring(from, to));
        } catch (NumberFormatException tooLarge) {
            return 0; // the server rejects it; nothing to describe
        }
    }
}
