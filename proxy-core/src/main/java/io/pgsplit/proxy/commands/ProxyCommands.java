package io.pgsplit.proxy.commands;

import io.pgsplit.protocol.SqlState;
import io.pgsplit.proxy.commands.ProxyCommand.Invalid;
import java.util.List;
import java.util.Optional;

/**
 * Recognizes the statements pgsplit answers itself ({@link ProxyCommand}) in a client's SQL text:
 * {@code SET/RESET/SHOW pgsplit.*} and {@code EXPLAIN (ROUTE) …} ({@link ExplainRouteGrammar}).
 */
public final class ProxyCommands {
    private static final String MARKER = "pgsplit";
    static final Invalid COMBINED = new Invalid(SqlState.FEATURE_NOT_SUPPORTED,
            "pgsplit commands cannot be combined with other statements in one query");

    private ProxyCommands() {
    }

    /**
     * The command if the whole text (one statement; comments and a trailing {@code ;} allowed) is one of
     * ours; empty otherwise. A malformed pgsplit command is an {@link Invalid}, and so is a pgsplit command
     * sent with other statements in one string: a server would take {@code SET pgsplit.…} as a placeholder
     * variable and the client would believe it took effect. Text that is not fully lexable (an unterminated
     * string or comment) is left to the server's error. Never throws.
     *
     * <p>Texts that neither start with EXPLAIN nor mention "pgsplit" (any case) return at once, before any
     * lexing. The marker is not {@code pgsplit.}, because {@code "pgsplit"."consistency"} names the same parameter.
     */
    public static Optional<ProxyCommand> parse(String sql) {
        Optional<ProxyCommand> explain = ExplainRouteGrammar.read(sql);
        if (explain.isPresent() || !mentionsPgsplit(sql)) {
            return explain;
        }
        List<List<SqlToken>> statements = CommandTokens.statements(sql);
        if (statements == null || statements.isEmpty()) {
            return Optional.empty();
        }
        if (statements.size() == 1) {
            return CommandGrammar.read(statements.get(0));
        }
        for (List<SqlToken> statement : statements) {
            if (CommandGrammar.read(statement).isPresent()) {
                return Optional.of(COMBINED);
            }
        }
        return Optional.empty();
    }

    /** Runs on every statement a client sends, so it compares the rest only after a 'p'. */
    private static boolean mentionsPgsplit(String sql) {
        for (int i = 0, last = sql.length() - MARKER.length(); i <= last; i++) {
            char c = sql.charAt(i);
            if ((c == 'p' || c == 'P') && sql.regionMatches(true, i + 1, MARKER, 1, MARKER.length() - 1)) {
                return true;
            }
        }
        return false;
    }
}
