package io.pgsplit.router;

import static io.pgsplit.router.TransactionControl.BEGIN;
import static io.pgsplit.router.TransactionControl.BEGIN_READ_ONLY;
import static io.pgsplit.router.TransactionControl.END;
import static io.pgsplit.router.TransactionControl.NONE;

/** Transaction-control statements: BEGIN, START TRANSACTION, COMMIT, ROLLBACK, savepoints, two-phase commit. */
final class TransactionRules {

    private static final StatementVerdict BEGIN_READ_WRITE =
            StatementVerdict.transaction(BEGIN, true, RouteReason.TRANSACTION);
    private static final StatementVerdict BEGIN_ON_REPLICA =
            StatementVerdict.transaction(BEGIN_READ_ONLY, false, RouteReason.READ_ONLY_TRANSACTION);
    /** Hot standbys refuse SERIALIZABLE, so a serializable read-only transaction still needs the primary. */
    private static final StatementVerdict BEGIN_READ_ONLY_SERIALIZABLE =
            StatementVerdict.transaction(BEGIN_READ_ONLY, true, RouteReason.TRANSACTION);
    /** COMMIT/ROLLBACK run wherever the open transaction runs. */
    private static final StatementVerdict FINISH = StatementVerdict.transaction(END, false, RouteReason.TRANSACTION);
    /** Prepared transactions exist only on the primary. */
    private static final StatementVerdict FINISH_ON_PRIMARY =
            StatementVerdict.transaction(END, true, RouteReason.TRANSACTION);
    private static final StatementVerdict INSIDE_TRANSACTION =
            StatementVerdict.transaction(NONE, false, RouteReason.TRANSACTION);

    private TransactionRules() {
    }

    /** BEGIN [WORK | TRANSACTION] [modes] and START TRANSACTION [modes]; modes may come in any order. */
    static StatementVerdict begin(LexedStatement statement, int first) {
        if (statement.isWord(first, "START") && !statement.isWord(first + 1, "TRANSACTION")) {
            return StatementVerdict.UNPARSED;
        }
        boolean readOnly = false;
        boolean readWrite = false;
        boolean serializable = false;
        for (int i = first + 1; i < statement.tokenCount(); i++) {
            readOnly |= statement.isWord(i, "READ") && statement.isWord(i + 1, "ONLY");
            readWrite |= statement.isWord(i, "READ") && statement.isWord(i + 1, "WRITE");
            serializable |= statement.isWord(i, "SERIALIZABLE");
        }
        if (!readOnly || readWrite) {
            return BEGIN_READ_WRITE;
        }
        return serializable ? BEGIN_READ_ONLY_SERIALIZABLE : BEGIN_ON_REPLICA;
    }

    /** COMMIT, END, ABORT and ROLLBACK, including the PREPARED, TO SAVEPOINT and AND CHAIN forms. */
    static StatementVerdict finish(LexedStatement statement, int first) {
        int i = first + 1;
        if (statement.isWord(i, "PREPARED")) {
            return FINISH_ON_PRIMARY;
        }
        if (statement.isWord(i, "WORK") || statement.isWord(i, "TRANSACTION")) {
            i++;
        }
        if (statement.isWord(first, "ROLLBACK") && statement.isWord(i, "TO")) {
            return INSIDE_TRANSACTION;
        }
        // AND CHAIN starts the next transaction at once: the session never leaves its transaction block.
        if (statement.isWord(i, "AND") && statement.isWord(i + 1, "CHAIN")) {
            return INSIDE_TRANSACTION;
        }
        return FINISH;
    }

    /** SAVEPOINT and RELEASE [SAVEPOINT]. */
    static StatementVerdict savepoint() {
        return INSIDE_TRANSACTION;
    }

    /** PREPARE TRANSACTION detaches the open transaction from the session; only the primary can prepare. */
    static StatementVerdict prepareTransaction() {
        return FINISH_ON_PRIMARY;
    }
}
