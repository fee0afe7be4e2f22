package io.pgsplit.proxy.session;

import io.pgsplit.health.Role;
import io.pgsplit.protocol.SqlState;
import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.router.Classification;
import io.pgsplit.router.RouteReason;
import io.pgsplit.router.StatementKind;
import io.pgsplit.router.TransactionControl;

/**
 * Where the session's transaction stands: what the serving connection's last ReadyForQuery said,
 * corrected by what was sent since (a BEGIN whose answer has not come yet already ties the session
 * to its server), and whether a read-only transaction on a replica has failed.
 */
final class TransactionTracker {
    /** The answer the proxy gives in place of a replica when a read-only transaction is asked to write. */
    record Refusal(String sqlState, String message, boolean countsAsRefusedWrite) {
    }

    private static final Refusal ABORTED = new Refusal(SqlState.IN_FAILED_SQL_TRANSACTION,
            "current transaction is aborted, commands ignored until end of transaction block", false);
    private static final Refusal READ_ONLY = new Refusal(SqlState.READ_ONLY_SQL_TRANSACTION,
            "cannot execute a write in a read-only transaction", true);

    private TransactionStatus status = TransactionStatus.IDLE;
    private boolean predicted;
    private boolean readOnlyFailed;

    /** A transaction is open, or was just begun and the server has not said so yet. */
    boolean isOpen() {
        return status != TransactionStatus.IDLE || predicted;
    }

    TransactionStatus status() {
        return status;
    }

    /** A request with these statements was sent. */
    void sent(Classification classification) {
        switch (classification.transaction()) {
            case BEGIN, BEGIN_READ_ONLY -> predicted = true;
            case END -> predicted = false;
            default -> {
            }
        }
    }

    /** True when the request sent ends the transaction here: nothing was begun after a COMMIT, or none was open. */
    boolean endsWith(Classification classification) {
        return !predicted && (status == TransactionStatus.IDLE
                || classification != null && classification.transaction() == TransactionControl.END);
    }

    /** The server's ReadyForQuery; returns the status before it. */
    TransactionStatus answered(TransactionStatus now) {
        TransactionStatus before = status;
        status = now;
        return before;
    }

    /** The server owes nothing more: its status is the whole truth now. */
    void settled() {
        predicted = false;
    }

    /** The session is free again: a failed read-only transaction is over. */
    void ended() {
        readOnlyFailed = false;
    }

    /** The serving connection is gone: whatever was open there is over. */
    void reset() {
        status = TransactionStatus.IDLE;
        predicted = false;
        readOnlyFailed = false;
    }

    /**
     * A write inside a read-only transaction on a replica is answered by the proxy, the way
     * PostgreSQL would answer it, and never reaches the replica; the transaction then counts as
     * failed until it ends, again as in PostgreSQL. Returns null when the request may go on.
     */
    Refusal guardReadOnly(Classification classification, boolean serverOwesClient) {
        boolean ends = classification.transaction() == TransactionControl.END || onlyTransactionControl(classification);
        if (readOnlyFailed && !ends) {
            return ABORTED;
        }
        if (ends) {
            readOnlyFailed = false;
            return null;
        }
        if (isWrite(classification) && !serverOwesClient) {
            readOnlyFailed = true;
            return READ_ONLY;
        }
        return null;
    }

    private static boolean onlyTransactionControl(Classification classification) {
        for (StatementKind kind : classification.kinds()) {
            if (kind != StatementKind.TRANSACTION) {
                return false;
            }
        }
        return true;
    }

    /**
     * Statements a replica would reject as writes. Cursors, prepared statements and unparsed SQL
     * need the primary outside a transaction, but inside a read-only one the replica enforces
     * read-only itself, and they must work there (psycopg2's named cursors DECLARE inside one).
     */
    private static boolean isWrite(Classification classification) {
        return classification.requiresPrimary() && switch (classification.reason()) {
            case WRITE, LOCKING_READ, VOLATILE_FUNCTION -> true;
            default -> false;
        };
    }

    /** The routing label of the requests that follow a server: the transaction's, when this request begins one. */
    static String reasonFor(Role role, String reason, Classification classification) {
        if (classification != null && classification.transaction() == TransactionControl.BEGIN) {
            return RouteReason.TRANSACTION.label();
        }
        if (classification != null && classification.transaction() == TransactionControl.BEGIN_READ_ONLY
                && role == Role.REPLICA) {
            return RouteReason.READ_ONLY_TRANSACTION.label();
        }
        return reason;
    }
}
