package io.pgsplit.router;

/**
 * What a statement is, independent of where it must run: {@code SELECT nextval('s')} is a {@link #READ} that
 * still requires the primary. {@link #UTILITY} covers procedural and server commands (CALL, DO, LOCK, NOTIFY,
 * CHECKPOINT) and statements that could not be classified.
 */
public enum StatementKind {
    READ,
    WRITE,
    TRANSACTION,
    SESSION,
    UTILITY,
    EMPTY
}
