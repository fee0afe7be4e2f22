package io.pgsplit.router;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the session-state commands in a SQL string, so that the proxy can make every server a client session
 * touches see the same session state. Reads {@link SqlLexer} tokens only, so it is cheap enough to run on every
 * query string, and its work grows linearly with the text.
 */
public final class SessionCommands {

    private SessionCommands() {
    }

    /**
     * Every session command in {@code sql}, statement by statement in order; within one statement the objects it
     * creates come before the functions it calls. Empty for ordinary statements and for text with an unterminated
     * quote or comment, which the server rejects as a whole before running any of it. Never throws.
     */
    public static List<SessionCommand> of(String sql) {
        List<LexedStatement> statements = SqlLexer.split(sql);
        if (statements.get(statements.size() - 1).unterminated()) {
            return List.of();
        }
        List<SessionCommand> commands = new ArrayList<>();
        for (LexedStatement statement : statements) {
            SessionStatementReader.read(statement, commands);
        }
        return List.copyOf(commands);
    }
}
