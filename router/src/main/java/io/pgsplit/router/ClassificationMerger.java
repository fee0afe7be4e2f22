package io.pgsplit.router;

import java.util.ArrayList;
import java.util.List;

/** Combines the verdicts of the statements of one SQL string into its {@link Classification}. */
final class ClassificationMerger {

    private ClassificationMerger() {
    }

    static Classification merge(List<StatementVerdict> verdicts) {
        StatementVerdict firstPrimary = null;
        TransactionControl transaction = TransactionControl.NONE;
        List<StatementKind> kinds = new ArrayList<>(verdicts.size());
        for (StatementVerdict verdict : verdicts) {
            if (firstPrimary == null && verdict.requiresPrimary()) {
                firstPrimary = verdict;
            }
            transaction = afterStatement(transaction, verdict.transaction());
            kinds.add(verdict.kind());
        }
        RouteReason reason = firstPrimary != null ? firstPrimary.reason() : verdicts.get(0).reason();
        return new Classification(firstPrimary != null, reason, transaction, kinds);
    }

    /** A second BEGIN inside an open block is a no-op in PostgreSQL, so the first one wins until an END. */
    private static TransactionControl afterStatement(TransactionControl state, TransactionControl statement) {
        return switch (statement) {
            case NONE -> state;
            case END -> TransactionControl.END;
            case BEGIN, BEGIN_READ_ONLY -> state == TransactionControl.BEGIN
                    || state == TransactionControl.BEGIN_READ_ONLY ? state : statement;
        };
    }
}
