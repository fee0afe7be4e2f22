package io.pgsplit.router;

import java.util.List;
import java.util.Objects;

/**
 * What the proxy needs to know about one SQL string (possibly several statements). Immutable.
 *
 * @param requiresPrimary true when any statement must run on the primary
 * @param reason          the reason of the first statement that forces the primary; otherwise the first
 *                        statement's own reason (READ, SESSION, TRANSACTION or READ_ONLY_TRANSACTION)
 * @param transaction     the net change of the transaction block after all statements ran
 * @param kinds           one entry per non-empty statement, in order ({@code [EMPTY]} for an empty string)
 */
public record Classification(boolean requiresPrimary, RouteReason reason, TransactionControl transaction,
                             List<StatementKind> kinds) {

    private static final Classification UNPARSED =
            new Classification(true, RouteReason.UNPARSED, TransactionControl.NONE, List.of(StatementKind.UTILITY));

    public Classification {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(transaction, "transaction");
        kinds = List.copyOf(kinds);
    }

    /** The safe answer for text nobody could classify: run it on the primary. */
    public static Classification unparsed() {
        return UNPARSED;
    }
}
