package io.pgsplit.router.catalog;

/** Whether a function may run on a replica. */
enum FunctionSafety {
    /** It only reads: immutable, stable, a read-only built-in, or a body that provably only reads. */
    READS,
    /** It may write, lock rows, change session state or need the primary otherwise. */
    WRITES
}
