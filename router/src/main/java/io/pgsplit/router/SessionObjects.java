package io.pgsplit.router;

import io.pgsplit.router.SessionCommand.CloseCursor;
import io.pgsplit.router.SessionCommand.Deallocate;
import io.pgsplit.router.SessionCommand.DeclareCursor;
import io.pgsplit.router.SessionCommand.Discard;
import io.pgsplit.router.SessionCommand.DiscardTarget;
import io.pgsplit.router.SessionCommand.Execute;
import io.pgsplit.router.SessionCommand.Listen;
import io.pgsplit.router.SessionCommand.Prepare;
import io.pgsplit.router.SessionCommand.Unlisten;
import java.util.List;

/**
 * Statements about named objects a backend keeps for its session: prepared statements, cursors and LISTEN
 * channels, and DISCARD, which drops such objects.
 */
final class SessionObjects {

    private static final String[] CURSOR_OPTIONS = {"BINARY", "ASENSITIVE", "INSENSITIVE", "NO", "SCROLL"};

    private SessionObjects() {
    }

    /** {@code PREPARE name [(types)] AS statement}; PREPARE TRANSACTION 'id' is two-phase commit instead. */
    static void prepare(LexedStatement statement, List<SessionCommand> out) {
        if (statement.isWord(1, "TRANSACTION") && statement.type(2) == TokenType.LITERAL) {
            return;
        }
        String name = statement.identifier(1);
        int as = 2;
        if (statement.type(as) == TokenType.OPEN_PAREN) {
            int close = statement.matchingParen(as);
            as = close < 0 ? statement.tokenCount() : close + 1;
        }
        if (name == null || !statement.isWord(as, "AS") || as + 1 >= statement.tokenCount()) {
            out.add(SessionStatementReader.unrecognised("PREPARE"));
        } else {
            out.add(new Prepare(name, statement.text(as + 1, statement.tokenCount()), statement.text(0, statement.tokenCount())));
        }
    }

    /** {@code EXECUTE name [(arguments)]} at {@code index}; the arguments are evaluated, so their calls count. */
    static void execute(LexedStatement statement, int index, List<SessionCommand> out) {
        String name = statement.identifier(index + 1);
        out.add(name == null ? SessionStatementReader.unrecognised("EXECUTE") : new Execute(name));
        SessionFunctionCalls.scan(statement, index + 2, statement.tokenCount(), out);
    }

    /** {@code DEALLOCATE [PREPARE] name | ALL}. */
    static void deallocate(LexedStatement statement, List<SessionCommand> out) {
        int i = statement.isWord(1, "PREPARE") && statement.tokenCount() > 2 ? 2 : 1;
        if (statement.isWord(i, "ALL")) {
            out.add(new Deallocate(null));
        } else {
            String name = statement.identifier(i);
            out.add(name == null ? SessionStatementReader.unrecognised("DEALLOCATE") : new Deallocate(name));
        }
    }

    /**
     * {@code DECLARE name [options] CURSOR [WITH | WITHOUT HOLD] FOR query}. The query's functions run as rows are
     * fetched, on the backend that holds the cursor.
     */
    static void declareCursor(LexedStatement statement, List<SessionCommand> out) {
        String name = statement.identifier(1);
        int i = 2;
        while (statement.isAnyWord(i, CURSOR_OPTIONS)) {
            i++;
        }
        if (name == null || !statement.isWord(i, "CURSOR")) {
            out.add(SessionStatementReader.unrecognised("DECLARE"));
            return;
        }
        out.add(new DeclareCursor(name, statement.isWord(i + 1, "WITH") && statement.isWord(i + 2, "HOLD")));
        SessionFunctionCalls.scan(statement, i + 1, statement.tokenCount(), out);
    }

    /** {@code CLOSE name | ALL}. */
    static void closeCursor(LexedStatement statement, List<SessionCommand> out) {
        if (statement.isWord(1, "ALL")) {
            out.add(new CloseCursor(null));
        } else {
            String name = statement.identifier(1);
            out.add(name == null ? SessionStatementReader.unrecognised("CLOSE") : new CloseCursor(name));
        }
    }

    static void listen(LexedStatement statement, List<SessionCommand> out) {
        String channel = statement.identifier(1);
        out.add(channel == null ? SessionStatementReader.unrecognised("LISTEN") : new Listen(channel));
    }

    /** {@code UNLISTEN channel | *}. */
    static void unlisten(LexedStatement statement, List<SessionCommand> out) {
        String channel = statement.isSymbol(1, '*') ? "*" : statement.identifier(1);
        out.add(channel == null ? SessionStatementReader.unrecognised("UNLISTEN") : new Unlisten(channel));
    }

    static void discard(LexedStatement statement, List<SessionCommand> out) {
        String word = statement.tokenCount() == 2 ? statement.word(1) : null;
        DiscardTarget target = word == null ? null : switch (word) {
            case "ALL" -> DiscardTarget.ALL;
            case "TEMP", "TEMPORARY" -> DiscardTarget.TEMP;
            case "PLANS" -> DiscardTarget.PLANS;
            case "SEQUENCES" -> DiscardTarget.SEQUENCES;
            default -> null;
        };
        out.add(target == null ? SessionStatementReader.unrecognised("DISCARD") : new Discard(target));
    }
}
