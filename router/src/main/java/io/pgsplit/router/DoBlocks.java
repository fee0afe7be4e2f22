package io.pgsplit.router;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * DO blocks run code the proxy cannot follow, so the body is only searched for signs of session state: a call of
 * set_config or an advisory-lock function, a statement starting with a session keyword such as SET or LISTEN, or
 * CREATE of a temporary object. String literals in the body are searched the same way, since they may be
 * dynamic SQL for EXECUTE. A body in a language other than PL/pgSQL cannot be read and counts as a sign.
 */
final class DoBlocks {

    /** Literals nested deeper than this in the body are not read but count as a sign, which bounds the work. */
    private static final int MAX_NESTING = 4;
    /** PL/pgSQL words after which a statement starts, besides the start of the body and a semicolon. */
    private static final String[] STATEMENT_OPENERS = {"BEGIN", "THEN", "ELSE", "LOOP"};
    private static final String[] SESSION_KEYWORDS =
            {"SET", "RESET", "LISTEN", "UNLISTEN", "DISCARD", "LOAD", "PREPARE", "DEALLOCATE"};

    private DoBlocks() {
    }

    /** {@code DO [LANGUAGE name] body [LANGUAGE name]}. */
    static boolean mayChangeSessionState(LexedStatement statement) {
        int body = -1;
        String language = "plpgsql";
        for (int i = 1; i < statement.tokenCount(); i++) {
            if (statement.isWord(i, "LANGUAGE")) {
                language = languageName(statement, i + 1);
                i++;
            } else if (body < 0) {
                body = i;
            }
        }
        if (body < 0) {
            return false;
        }
        String code = StringLiterals.content(statement, body);
        return code == null || !"plpgsql".equals(language) || mayChangeSessionState(code, 1);
    }

    private static boolean mayChangeSessionState(String code, int nesting) {
        if (nesting > MAX_NESTING) {
            return true;
        }
        List<SessionCommand> calls = new ArrayList<>();
        for (LexedStatement statement : SqlLexer.split(code)) {
            SessionFunctionCalls.scan(statement, 0, statement.tokenCount(), calls);
            if (!calls.isEmpty()) {
                return true;
            }
            for (int i = 0; i < statement.tokenCount(); i++) {
                if (startsStatement(statement, i) && (statement.isAnyWord(i, SESSION_KEYWORDS)
                        || statement.isWord(i, "CREATE") && TemporaryObjects.createsTemporaryObject(statement, i))) {
                    return true;
                }
                String literal = StringLiterals.content(statement, i);
                if (literal != null && mayChangeSessionState(literal, nesting + 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean startsStatement(LexedStatement statement, int index) {
        return index == 0 || statement.isAnyWord(index - 1, STATEMENT_OPENERS);
    }

    private static String languageName(LexedStatement statement, int index) {
        String name = statement.type(index) == TokenType.LITERAL ? StringLiterals.content(statement, index)
                : statement.identifier(index);
        return name == null ? null : name.toLowerCase(Locale.ROOT);
    }
}
