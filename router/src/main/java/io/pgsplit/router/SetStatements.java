package io.pgsplit.router;

import io.pgsplit.router.SessionCommand.ResetAll;
import io.pgsplit.router.SessionCommand.ResetParameter;
import io.pgsplit.router.SessionCommand.Scope;
import io.pgsplit.router.SessionCommand.SetParameter;
import io.pgsplit.router.SessionCommand.Unreplayable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * SET and RESET: which parameter they change, and a statement that changes it the same way on another server.
 * Values are kept as written; only the parameter name is put in canonical form. SET TRANSACTION and SET
 * CONSTRAINTS yield nothing: they last only for the transaction, which never leaves its server.
 */
final class SetStatements {

    private static final String TIMEZONE = "timezone";
    private static final String SESSION_AUTHORIZATION = "session_authorization";

    /**
     * A parameter name read from a statement: canonical lower-case, as SQL text for the replayed statement, and
     * the index of the token after it.
     */
    private record ParameterName(String canonical, String sql, int end) {
    }

    private SetStatements() {
    }

    static void set(LexedStatement statement, List<SessionCommand> out) {
        int i = 1;
        Scope scope = Scope.SESSION;
        if (isScopeKeyword(statement, i, "LOCAL")) {
            scope = Scope.LOCAL;
            i++;
        } else if (isScopeKeyword(statement, i, "SESSION")) {
            i++;
        }
        // SET ROLE x is a special form but SET role = x the generic one: the token after the word tells them apart.
        boolean parameterName = isAssignment(statement, i + 1) || statement.type(i + 1) == TokenType.DOT;
        String keyword = parameterName ? null : statement.word(i);
        if (keyword == null) {
            generic(statement, i, scope, out);
            return;
        }
        switch (keyword) {
            case "TRANSACTION", "CONSTRAINTS" -> {
            }
            case "TIME" -> {
                if (statement.isWord(i + 1, "ZONE")) {
                    timeZone(statement, i + 2, scope, out);
                } else {
                    out.add(SessionStatementReader.unrecognised("SET"));
                }
            }
            case "SCHEMA" -> assign(statement, i + 1, "search_path", scope, out);
            case "NAMES" -> {
                if (i + 1 == statement.tokenCount()) {
                    toDefault("client_encoding", scope, out);
                } else {
                    assign(statement, i + 1, "client_encoding", scope, out);
                }
            }
            case "ROLE" -> assign(statement, i + 1, "role", scope, out);
            case "XML" -> {
                if (statement.isWord(i + 1, "OPTION")) {
                    assign(statement, i + 2, "xmloption", scope, out);
                } else {
                    out.add(SessionStatementReader.unrecognised("SET"));
                }
            }
            case "SESSION" -> sessionForm(statement, i + 1, scope, out);
            default -> generic(statement, i, scope, out);
        }
    }

    static void reset(LexedStatement statement, List<SessionCommand> out) {
        int count = statement.tokenCount();
        if (count == 2 && statement.isWord(1, "ALL")) {
            out.add(new ResetAll());
        } else if (count == 3 && statement.isWord(1, "TIME") && statement.isWord(2, "ZONE")) {
            out.add(new ResetParameter(TIMEZONE));
        } else if (count == 3 && statement.isWord(1, "SESSION") && statement.isWord(2, "AUTHORIZATION")) {
            out.add(new ResetParameter(SESSION_AUTHORIZATION));
        } else if (!statement.isWord(1, "TRANSACTION")) {
            ParameterName name = parameterName(statement, 1);
            out.add(name != null && name.end() == count ? new ResetParameter(name.canonical())
                    : SessionStatementReader.unrecognised("RESET"));
        }
    }

    /** LOCAL or SESSION before the rest of a SET, as opposed to SET SESSION AUTHORIZATION and the like. */
    private static boolean isScopeKeyword(LexedStatement statement, int index, String keyword) {
        TokenType next = statement.type(index + 1);
        return statement.isWord(index, keyword)
                && (next == TokenType.WORD || next == TokenType.QUOTED_IDENTIFIER)
                && !statement.isWord(index + 1, "TO")
                && !statement.isWord(index + 1, "AUTHORIZATION")
                && !statement.isWord(index + 1, "CHARACTERISTICS");
    }

    private static void generic(LexedStatement statement, int index, Scope scope, List<SessionCommand> out) {
        ParameterName name = parameterName(statement, index);
        if (name == null) {
            out.add(SessionStatementReader.unrecognised("SET"));
        } else if (statement.isWord(name.end(), "FROM") && statement.isWord(name.end() + 1, "CURRENT")) {
            // Takes the value in force where the statement runs, which another server cannot know.
            out.add(new Unreplayable("SET " + name.canonical() + " FROM CURRENT"));
        } else if (isAssignment(statement, name.end())) {
            assign(statement, name.end() + 1, name.canonical(), name.sql(), scope, out);
        } else {
            out.add(SessionStatementReader.unrecognised("SET"));
        }
    }

    private static void timeZone(LexedStatement statement, int valueIndex, Scope scope, List<SessionCommand> out) {
        boolean single = valueIndex == statement.tokenCount() - 1;
        if (single && statement.isWord(valueIndex, "LOCAL")) {
            toDefault(TIMEZONE, scope, out);
        } else if (statement.isWord(valueIndex, "INTERVAL")) {
            // Interval constants exist only in SET TIME ZONE, not in the generic form.
            out.add(new SetParameter(TIMEZONE,
                    setPrefix(scope) + "TIME ZONE " + statement.text(valueIndex, statement.tokenCount()), scope));
        } else {
            assign(statement, valueIndex, TIMEZONE, scope, out);
        }
    }

    /** SET SESSION AUTHORIZATION and SET SESSION CHARACTERISTICS AS TRANSACTION. */
    private static void sessionForm(LexedStatement statement, int index, Scope scope, List<SessionCommand> out) {
        if (statement.isWord(index, "AUTHORIZATION")) {
            assign(statement, index + 1, SESSION_AUTHORIZATION, scope, out);
        } else if (statement.isWord(index, "CHARACTERISTICS") && statement.isWord(index + 1, "AS")
                && statement.isWord(index + 2, "TRANSACTION")) {
            TransactionDefaults.read(statement, index + 3, scope, out);
        } else {
            out.add(SessionStatementReader.unrecognised("SET"));
        }
    }

    private static void assign(LexedStatement statement, int valueIndex, String canonicalName, Scope scope,
                               List<SessionCommand> out) {
        assign(statement, valueIndex, canonicalName, canonicalName, scope, out);
    }

    private static void assign(LexedStatement statement, int valueIndex, String canonicalName, String sqlName,
                               Scope scope, List<SessionCommand> out) {
        int count = statement.tokenCount();
        if (valueIndex >= count) {
            out.add(SessionStatementReader.unrecognised("SET"));
        } else if (valueIndex == count - 1 && statement.isWord(valueIndex, "DEFAULT")) {
            toDefault(canonicalName, sqlName, scope, out);
        } else {
            out.add(new SetParameter(canonicalName,
                    setPrefix(scope) + sqlName + " TO " + statement.text(valueIndex, count), scope));
        }
    }

    private static void toDefault(String canonicalName, Scope scope, List<SessionCommand> out) {
        toDefault(canonicalName, canonicalName, scope, out);
    }

    /** A session-wide DEFAULT is a reset; a transaction-local one must stay local when replayed. */
    private static void toDefault(String canonicalName, String sqlName, Scope scope, List<SessionCommand> out) {
        out.add(scope == Scope.SESSION ? new ResetParameter(canonicalName)
                : new SetParameter(canonicalName, setPrefix(scope) + sqlName + " TO DEFAULT", scope));
    }

    static String setPrefix(Scope scope) {
        return scope == Scope.LOCAL ? "SET LOCAL " : "SET ";
    }

    private static boolean isAssignment(LexedStatement statement, int index) {
        return statement.isWord(index, "TO") || statement.isSymbol(index, '=');
    }

    /**
     * {@code name} or {@code prefix.name}, lower-cased since the server ignores case in parameter names. Parts
     * quoted in the original stay quoted in the SQL text: unquoted they might be reserved words.
     */
    private static ParameterName parameterName(LexedStatement statement, int index) {
        List<String> canonical = new ArrayList<>(2);
        List<String> sql = new ArrayList<>(2);
        int i = index;
        while (true) {
            String part = statement.identifier(i);
            if (part == null) {
                return null;
            }
            String lower = part.toLowerCase(Locale.ROOT);
            canonical.add(lower);
            sql.add(statement.type(i) == TokenType.WORD ? lower : '"' + lower.replace("\"", "\"\"") + '"');
            if (statement.type(i + 1) != TokenType.DOT) {
                return new ParameterName(String.join(".", canonical), String.join(".", sql), i + 1);
            }
            i += 2;
        }
    }
}
