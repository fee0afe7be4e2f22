package io.pgsplit.router;

import io.pgsplit.router.SessionCommand.Scope;
import io.pgsplit.router.SessionCommand.SetParameter;
import java.util.ArrayList;
import java.util.List;

/**
 * The modes of {@code SET SESSION CHARACTERISTICS AS TRANSACTION}. Each sets one of the
 * {@code default_transaction_*} parameters that later transactions start from, so each becomes one command.
 */
final class TransactionDefaults {

    private static final String ISOLATION = "default_transaction_isolation";
    private static final String READ_ONLY = "default_transaction_read_only";
    private static final String DEFERRABLE = "default_transaction_deferrable";

    private TransactionDefaults() {
    }

    /** Reads the modes from {@code index} to the end of the statement; they may be separated by commas or not. */
    static void read(LexedStatement statement, int index, Scope scope, List<SessionCommand> out) {
        List<SessionCommand> modes = new ArrayList<>(3);
        int i = index;
        while (i < statement.tokenCount()) {
            if (statement.type(i) == TokenType.COMMA) {
                i++;
                continue;
            }
            i = readMode(statement, i, scope, modes);
            if (i < 0) {
                out.add(SessionStatementReader.unrecognised("SET"));
                return;
            }
        }
        if (modes.isEmpty()) {
            out.add(SessionStatementReader.unrecognised("SET"));
        } else {
            out.addAll(modes);
        }
    }

    /** Adds the mode starting at {@code index}; returns the index after it, or -1 when no mode starts there. */
    private static int readMode(LexedStatement statement, int index, Scope scope, List<SessionCommand> modes) {
        if (statement.isWord(index, "ISOLATION") && statement.isWord(index + 1, "LEVEL")) {
            return readIsolationLevel(statement, index + 2, scope, modes);
        }
        if (statement.isWord(index, "READ") && (statement.isWord(index + 1, "ONLY")
                || statement.isWord(index + 1, "WRITE"))) {
            modes.add(setting(READ_ONLY, statement.isWord(index + 1, "ONLY") ? "on" : "off", scope));
            return index + 2;
        }
        if (statement.isWord(index, "DEFERRABLE")) {
            modes.add(setting(DEFERRABLE, "on", scope));
            return index + 1;
        }
        if (statement.isWord(index, "NOT") && statement.isWord(index + 1, "DEFERRABLE")) {
            modes.add(setting(DEFERRABLE, "off", scope));
            return index + 2;
        }
        return -1;
    }

    private static int readIsolationLevel(LexedStatement statement, int index, Scope scope,
                                          List<SessionCommand> modes) {
        String level;
        int end = index + 2;
        if (statement.isWord(index, "SERIALIZABLE")) {
            level = "serializable";
            end = index + 1;
        } else if (statement.isWord(index, "REPEATABLE") && statement.isWord(index + 1, "READ")) {
            level = "repeatable read";
        } else if (statement.isWord(index, "READ") && statement.isWord(index + 1, "COMMITTED")) {
            level = "read committed";
        } else if (statement.isWord(index, "READ") && statement.isWord(index + 1, "UNCOMMITTED")) {
            level = "read uncommitted";
        } else {
            return -1;
        }
        modes.add(setting(ISOLATION, "'" + level + "'", scope));
        return end;
    }

    private static SetParameter setting(String name, String value, Scope scope) {
        return new SetParameter(name, SetStatements.setPrefix(scope) + name + " TO " + value, scope);
    }
}
