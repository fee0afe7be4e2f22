package io.pgsplit.proxy.commands;

import io.pgsplit.protocol.SqlState;
import io.pgsplit.proxy.commands.ProxyCommand.ExplainRoute;
import io.pgsplit.proxy.commands.ProxyCommand.Invalid;
import io.pgsplit.router.LexedStatement;
import io.pgsplit.router.SqlLexer;
import io.pgsplit.router.TokenType;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code EXPLAIN (ROUTE) statement}: the ROUTE option alone in the option list (optionally {@code TRUE} or
 * {@code ON}), then the statement, which is everything after the closing parenthesis (other statements after it
 * would be another request, as in {@link ProxyCommands}). {@code EXPLAIN (ROUTE FALSE)} is not ours.
 */
final class ExplainRouteGrammar {
    private static final String EXPLAIN = "explain";

    private ExplainRouteGrammar() {
    }

    /** Cheap for other statements: only text that starts with EXPLAIN (or a comment) is lexed. */
    static Optional<ProxyCommand> read(String sql) {
        if (!mayStartWithExplain(sql)) {
            return Optional.empty();
        }
        List<LexedStatement> statements = SqlLexer.split(sql);
        for (int i = 0; i < statements.size(); i++) {
            LexedStatement statement = statements.get(i);
            if (statement.unterminated()) {
                return Optional.empty();
            }
            int body = bodyStart(statement);
            if (body == -1) {
                continue;
            }
            if (othersNotEmpty(statements, i)) {
                return Optional.of(ProxyCommands.COMBINED);
            }
            return Optional.of(body == -2 ? unsupported() : explained(sql, statement, body));
        }
        return Optional.empty();
    }

    /**
     * Where the explained statement starts: the token after {@code EXPLAIN (ROUTE)}; -1 when this is not
     * {@code EXPLAIN (ROUTE …)}; -2 when ROUTE comes with other options.
     */
    private static int bodyStart(LexedStatement statement) {
        if (!statement.isWord(0, "EXPLAIN") || statement.type(1) != TokenType.OPEN_PAREN
                || !statement.isWord(2, "ROUTE")) {
            return -1;
        }
        int i = 3;
        if (statement.isWord(i, "TRUE") || statement.isWord(i, "ON")) {
            i++;
        } else if (statement.isWord(i, "FALSE") || statement.isWord(i, "OFF")) {
            return -1;
        }
        return statement.type(i) == TokenType.CLOSE_PAREN ? i + 1 : -2;
    }

    private static ProxyCommand explained(String sql, LexedStatement statement, int body) {
        if (body >= statement.tokenCount()) {
            return new Invalid(SqlState.SYNTAX_ERROR, "syntax error at end of input");
        }
        // From right after the parenthesis: comments before the statement (a /* pgsplit:primary */ hint) belong to it.
        String inner = sql.substring(statement.endOf(body - 1), statement.endOf(statement.tokenCount() - 1)).strip();
        if (ProxyCommands.parse(inner).isPresent()) {
            return new Invalid(SqlState.FEATURE_NOT_SUPPORTED,
                    "EXPLAIN (ROUTE) of a pgsplit command: pgsplit answers it itself, it is never routed");
        }
        return new ExplainRoute(inner);
    }

    private static Invalid unsupported() {
        return new Invalid(SqlState.FEATURE_NOT_SUPPORTED, "EXPLAIN option ROUTE cannot be combined with other options");
    }

    private static boolean othersNotEmpty(List<LexedStatement> statements, int explain) {
        for (int i = 0; i < statements.size(); i++) {
            if (i != explain && !statements.get(i).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** After leading whitespace: EXPLAIN, or a comment (which might hide one) or a semicolon. */
    private static boolean mayStartWithExplain(String sql) {
        int i = 0;
        while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        if (i + 1 < sql.length() && (sql.startsWith("/*", i) || sql.startsWith("--", i)) || sql.startsWith(";", i)) {
            return true;
        }
        return sql.regionMatches(true, i, EXPLAIN, 0, EXPLAIN.length());
    }
}
