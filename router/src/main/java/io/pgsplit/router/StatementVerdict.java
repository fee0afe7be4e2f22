package io.pgsplit.router;

/** The classification of a single statement; {@link ClassificationMerger} combines them per SQL string. */
record StatementVerdict(StatementKind kind, boolean requiresPrimary, RouteReason reason,
                        TransactionControl transaction) {

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

    static StatementVerdict transaction(TransactionControl control, boolean requiresPrimary, RouteReason reason) {
        return new StatementVerdict(StatementKind.TRANSACTION, requiresPrimary, reason, control);
    }

    /** The same statement, sent to the primary because of {@code why}. */
    StatementVerdict onPrimaryBecause(RouteReason why) {
        return new StatementVerdict(kind, true, why, transaction);
    }

    private static StatementVerdict of(StatementKind kind, boolean requiresPrimary, RouteReason reason) {
        return new StatementVerdict(kind, requiresPrimary, reason, TransactionControl.NONE);
    }
}
