package io.pgsplit.router;

import java.util.List;

/**
 * The classification of a single statement; {@link ClassificationMerger} combines them per SQL string.
 * {@code functions} are the calls of a statement that may run on a replica (see {@link Classification}).
 */
record StatementVerdict(StatementKind kind, boolean requiresPrimary, RouteReason reason,
                        TransactionControl transaction, List<FunctionReference> functions) {

    static final StatementVerdict READ = of(StatementKind.READ, false, RouteReason.READ);
    static final StatementVerdict WRITE = of(StatementKind.WRITE, true, RouteReason.WRITE);
    static final StatementVerdict LOCKING_READ = of(StatementKind.READ, true, RouteReason.LOCKING_READ);
    static final StatementVerdict VOLATILE_FUNCTION = of(StatementKind.READ, true, RouteReason.VOLATILE_FUNCTION);
    /** CALL, DO, LOCK, NOTIFY, ...: effects unknown or primary-only, so they count as writes. */
    static final StatementVerdict UTILITY = of(StatementKind.UTILITY, true, RouteReason.WRITE);
    /** SET / RESET: the proxy replays session settings on every backend itself. */
    static final StatementVerdict LOCAL_SESSION = of(StatementKind.SESSION, false, RouteReason.SESSION);
    /** State that lives in one backend (prepared statements, cursors, listeners). */
    static final StatementVerdict PRIMARY_SESSION = of(StatementKind.SESSION, true, RouteReason.SESSION);
    static final StatementVerdict EMPTY = of(StatementKind.EMPTY, false, RouteReason.READ);
    static final StatementVerdict UNPARSED = of(StatementKind.UTILITY, true, RouteReason.UNPARSED);

    /** The classifications of a string that is one of the commonest statements alone, built once. */
    private static final Classification READ_ALONE = READ.merged();
    private static final Classification WRITE_ALONE = WRITE.merged();
    private static final Classification SESSION_ALONE = LOCAL_SESSION.merged();

    StatementVerdict {
        functions = requiresPrimary ? List.of() : List.copyOf(functions);
    }

    static StatementVerdict transaction(TransactionControl control, boolean requiresPrimary, RouteReason reason) {
        return new StatementVerdict(StatementKind.TRANSACTION, requiresPrimary, reason, control, List.of());
    }

    /** A read that calls {@code calls}: the catalog decides whether they let it run on a replica. */
    static StatementVerdict readCalling(List<FunctionReference> calls) {
        return calls.isEmpty() ? READ : new StatementVerdict(StatementKind.READ, false, RouteReason.READ,
                TransactionControl.NONE, calls);
    }

    /** The same statement, sent to the primary because of {@code why}. */
    StatementVerdict onPrimaryBecause(RouteReason why) {
        return new StatementVerdict(kind, true, why, transaction, List.of());
    }

    /** This verdict with the calls the lexer found, when it still may run on a replica. */
    StatementVerdict calling(List<FunctionReference> calls) {
        return requiresPrimary || calls.isEmpty() ? this : new StatementVerdict(kind, false, reason, transaction, calls);
    }

    /** The classification of a string that holds only this statement (what the merger would make of it). */
    Classification alone() {
        if (this == READ) {
            return READ_ALONE;
        }
        if (this == WRITE) {
            return WRITE_ALONE;
        }
        return this == LOCAL_SESSION ? SESSION_ALONE : merged();
    }

    private Classification merged() {
        return new Classification(requiresPrimary, reason, transaction, List.of(kind), functions);
    }

    private static StatementVerdict of(StatementKind kind, boolean requiresPrimary, RouteReason reason) {
        return new StatementVerdict(kind, requiresPrimary, reason, TransactionControl.NONE, List.of());
    }
}
