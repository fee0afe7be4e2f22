package io.pgsplit.router;

/**
 * How a statement changes the session's transaction block.
 *
 * <p>{@link #END} covers COMMIT, ROLLBACK, END, ABORT, PREPARE TRANSACTION (which detaches the transaction from
 * the session), COMMIT PREPARED and ROLLBACK PREPARED. ROLLBACK TO SAVEPOINT and COMMIT/ROLLBACK AND CHAIN leave
 * the session inside a transaction and are therefore {@link #NONE}.
 */
public enum TransactionControl {
    NONE,
    BEGIN,
    BEGIN_READ_ONLY,
    END
}
