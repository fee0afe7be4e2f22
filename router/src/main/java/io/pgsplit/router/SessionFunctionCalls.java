package io.pgsplit.router;

import io.pgsplit.router.SessionCommand.AdvisoryLock;
import io.pgsplit.router.SessionCommand.AdvisoryUnlockAll;
import io.pgsplit.router.SessionCommand.SetConfig;
import io.pgsplit.router.SessionCommand.Unreplayable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Calls of functions that change session state: set_config(), which the proxy can replay when its arguments are
 * constants, and the advisory-lock functions, whose locks belong to one backend. A call is a name followed by an
 * opening parenthesis, whatever schema qualifies it.
 */
final class SessionFunctionCalls {

    private static final Map<String, SessionCommand> ADVISORY_LOCKS = Map.of(
            "pg_advisory_lock", new AdvisoryLock(true),
            "pg_advisory_lock_shared", new AdvisoryLock(true),
            "pg_try_advisory_lock", new AdvisoryLock(true),
            "pg_try_advisory_lock_shared", new AdvisoryLock(true),
            "pg_advisory_xact_lock", new AdvisoryLock(false),
            "pg_advisory_xact_lock_shared", new AdvisoryLock(false),
            "pg_try_advisory_xact_lock", new AdvisoryLock(false),
            "pg_try_advisory_xact_lock_shared", new AdvisoryLock(false),
            "pg_advisory_unlock_all", new AdvisoryUnlockAll());
    private static final Set<String> TRUE_TEXTS = Set.of("true", "t", "yes", "y", "on", "1");
    private static final Set<String> FALSE_TEXTS = Set.of("false", "f", "no", "n", "off", "0");
    private static final Unreplayable COMPUTED_SET_CONFIG =
            new Unreplayable("set_config with arguments that are not constants");

    private SessionFunctionCalls() {
    }

    /** Adds a command for each session-changing call among tokens {@code [from, to)}, in order. */
    static void scan(LexedStatement statement, int from, int to, List<SessionCommand> out) {
        for (int i = from; i + 1 < to; i++) {
            if (statement.type(i + 1) != TokenType.OPEN_PAREN) {
                continue;
            }
            String name = statement.identifier(i);
            if (name == null) {
                continue;
            }
            SessionCommand lock = ADVISORY_LOCKS.get(name);
            if (lock != null) {
                out.add(lock);
            } else if (name.equals("set_config")) {
                out.add(setConfig(statement, i + 1));
            }
        }
    }

    /** Whether the {@code set_config(} opening at {@code open} has three constant arguments, so the proxy can track it. */
    static boolean isReplayableSetConfig(LexedStatement statement, int open) {
        return setConfig(statement, open) instanceof SetConfig;
    }

    /**
     * Reads {@code set_config(name, value, is_local)} by position rather than by matching parentheses, so nested
     * calls cost nothing extra: anything but three constants is a computed or bound argument.
     */
    private static SessionCommand setConfig(LexedStatement statement, int open) {
        int nameEnd = constantEnd(statement, open + 1, TokenType.COMMA);
        int valueEnd = nameEnd < 0 ? -1 : constantEnd(statement, nameEnd + 1, TokenType.COMMA);
        int isLocalEnd = valueEnd < 0 ? -1 : constantEnd(statement, valueEnd + 1, TokenType.CLOSE_PAREN);
        if (isLocalEnd < 0) {
            return COMPUTED_SET_CONFIG;
        }
        String name = StringLiterals.content(statement, open + 1);
        Boolean isLocal = booleanConstant(statement, valueEnd + 1);
        if (name == null || isLocal == null) {
            return COMPUTED_SET_CONFIG;
        }
        String replay = "SELECT pg_catalog.set_config(" + statement.text(open + 1, nameEnd) + ", "
                + statement.text(nameEnd + 1, valueEnd) + ", " + isLocal + ")";
        return new SetConfig(name.toLowerCase(Locale.ROOT), replay, isLocal);
    }

    /**
     * The index of the {@code terminator} after the constant at {@code index}, which may carry a one-word cast
     * such as {@code ::text}; -1 when there is no constant followed by the terminator.
     */
    private static int constantEnd(LexedStatement statement, int index, TokenType terminator) {
        if (!isConstant(statement, index)) {
            return -1;
        }
        int end = index + 1;
        if (statement.isSymbol(end, ':') && statement.isSymbol(end + 1, ':')
                && statement.type(end + 2) == TokenType.WORD) {
            end += 3;
        }
        return statement.type(end) == terminator ? end : -1;
    }

    /** A literal or NULL, TRUE, FALSE; not a {@code $n} parameter, whose value only the Bind message holds. */
    private static boolean isConstant(LexedStatement statement, int index) {
        if (statement.type(index) == TokenType.LITERAL) {
            return !statement.isParameter(index);
        }
        return statement.isWord(index, "NULL") || statement.isWord(index, "TRUE") || statement.isWord(index, "FALSE");
    }

    /** The value of a boolean constant in the spellings PostgreSQL accepts; null for anything else. */
    private static Boolean booleanConstant(LexedStatement statement, int index) {
        if (statement.isWord(index, "TRUE") || statement.isWord(index, "FALSE")) {
            return statement.isWord(index, "TRUE");
        }
        String text = StringLiterals.content(statement, index);
        String spelling = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (TRUE_TEXTS.contains(spelling)) {
            return true;
        }
        return FALSE_TEXTS.contains(spelling) ? false : null;
    }
}
