package io.pgsplit.proxy.session;

import io.pgsplit.router.Classification;
import io.pgsplit.router.RouteReason;
import io.pgsplit.router.StatementKind;
import io.pgsplit.router.TransactionControl;
import java.util.ArrayList;
import java.util.List;

/** Folds the classifications of a segment's statements into one, the way a multi-statement string is folded. */
final class SegmentClassification {
    private SegmentClassification() {
    }

    static Classification combine(List<Classification> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        boolean requiresPrimary = false;
        RouteReason reason = RouteReason.READ;
        TransactionControl transaction = TransactionControl.NONE;
        List<StatementKind> kinds = new ArrayList<>();
        for (Classification part : parts) {
            if (part.requiresPrimary() && !requiresPrimary) {
                requiresPrimary = true;
                reason = part.reason();
            }
            transaction = fold(transaction, part.transaction());
            kinds.addAll(part.kinds());
        }
        if (!requiresPrimary && transaction == TransactionControl.BEGIN_READ_ONLY) {
            reason = RouteReason.READ_ONLY_TRANSACTION;
        }
        return new Classification(requiresPrimary, reason, transaction, List.copyOf(kinds));
    }

    /** The first BEGIN decides where a transaction runs; a later END closes it. */
    private static TransactionControl fold(TransactionControl sofar, TransactionControl next) {
        if (next == TransactionControl.NONE) {
            return sofar;
        }
        if (sofar == TransactionControl.BEGIN || sofar == TransactionControl.BEGIN_READ_ONLY) {
            return next == TransactionControl.END ? TransactionControl.END : sofar;
        }
        return next;
    }
}
