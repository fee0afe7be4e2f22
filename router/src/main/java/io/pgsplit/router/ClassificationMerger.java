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
        List<FunctionReference> functions = List.of();
        for (StatementVerdict verdict : verdicts) {
            if (firstPrimary == null && verdict.requiresPrimary()) {
                firstPrimary = verdict;
            }
            transaction = afterStatement(transaction, verdict.transaction());
            kinds.add(verdict.kind());
            functions = union(functions, verdict.functions());
        }
        RouteReason reason = firstPrimary != null ? firstPrimary.reason() : verdicts.get(0).reason();
        return new Classification(firstPrimary != null, reason, transaction, kinds, functions);
    }

    /** The calls of every statement; the common single-statement case allocates nothing. */
    private static List<FunctionReference> union(List<FunctionReference> sofar, List<FunctionReference> more) {
        if (more.isEmpty()) {
            return sofar;
        }
        if (sofar.isEmpty()) {
            return more;
        }
        List<FunctionReference> all = new ArrayList<>(sofar);
        all.addAll(more);
        return all;
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
