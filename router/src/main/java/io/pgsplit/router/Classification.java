package io.pgsplit.router;

import java.util.List;
import java.util.Objects;

/**
 * What the proxy needs to know about one SQL string (possibly several statements), from its text alone.
 * Immutable, and independent of the database's catalog, so that it can be cached by text.
 *
 * @param requiresPrimary true when any statement must run on the primary
 * @param reason          the reason of the first statement that forces the primary; otherwise the first
 *                        statement's own reason (READ, SESSION, TRANSACTION or READ_ONLY_TRANSACTION)
 * @param transaction     the net change of the transaction block after all statements ran
 * @param kinds           one entry per non-empty statement, in order ({@code [EMPTY]} for an empty string)
 * @param functions       the function calls of a string that may run on a replica, still to be checked against
 *                        the catalog ({@code io.pgsplit.router.catalog.CatalogRouting}); empty when
 *                        {@code requiresPrimary}, since nothing the catalog says could change the target
 * @param code            every call the string runs, wherever it runs, for the reset rule of pooled connections
 */
public record Classification(boolean requiresPrimary, RouteReason reason, TransactionControl transaction,
                             List<StatementKind> kinds, List<FunctionReference> functions, CodeCalls code) {

    private static final Classification UNPARSED =
            new Classification(true, RouteReason.UNPARSED, TransactionControl.NONE, List.of(StatementKind.UTILITY));

    public Classification {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(transaction, "transaction");
        Objects.requireNonNull(code, "code");
        kinds = List.copyOf(kinds);
        functions = requiresPrimary ? List.of() : List.copyOf(functions);
    }

    /** A classification whose code is not known yet (see {@link #withCode}). */
    public Classification(boolean requiresPrimary, RouteReason reason, TransactionControl transaction,
                          List<StatementKind> kinds, List<FunctionReference> functions) {
        this(requiresPrimary, reason, transaction, kinds, functions, CodeCalls.NONE);
    }

    /** A classification without function calls to check. */
    public Classification(boolean requiresPrimary, RouteReason reason, TransactionControl transaction,
                          List<StatementKind> kinds) {
        this(requiresPrimary, reason, transaction, kinds, List.of());
    }

    /** The safe answer for text nobody could classify: run it on the primary. */
    public static Classification unparsed() {
        return UNPARSED;
    }

    /** The same statements, sent to the primary because of {@code why} (a catalog finding). */
    public Classification onPrimaryBecause(RouteReason why) {
        return new Classification(true, why, transaction, kinds, List.of(), code);
    }

    /** The same classification, running {@code runs}. */
    public Classification withCode(CodeCalls runs) {
        return runs.equals(code) ? this : new Classification(requiresPrimary, reason, transaction, kinds, functions, runs);
    }
}
