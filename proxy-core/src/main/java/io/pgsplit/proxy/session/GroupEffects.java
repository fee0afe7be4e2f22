package io.pgsplit.proxy.session;

import io.pgsplit.router.SessionCommand;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The session commands of one group sent to a server, waiting for its ReadyForQuery: they are
 * recorded only if the group succeeded. {@code rollback}: the group ends its transaction with
 * ROLLBACK or ABORT, so what the transaction set is dropped.
 */
record GroupEffects(List<SessionCommand> commands, boolean rollback) {
    /** The commonest group: no session command, no rollback. */
    static final GroupEffects NONE = new GroupEffects(List.of(), false);

    private static final Pattern ROLLBACK = Pattern.compile(
            "(?:^|;)(?:\\s|/\\*.*?\\*/|--[^\\n]*(?:\\n|$))*(?:ROLLBACK|ABORT)\\b(?!\\s+(?:TO|PREPARED)\\b)",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    /**
     * True when a text of the segment holds a ROLLBACK or ABORT of the whole transaction (not
     * ROLLBACK TO a savepoint). Asked only of groups that end a transaction; a ';' inside a literal
     * could fool it, which at worst records a setting the server rolled back.
     */
    static boolean endsWithRollback(Segment segment) {
        return segment.anyTextMatches(ROLLBACK);
    }
}
