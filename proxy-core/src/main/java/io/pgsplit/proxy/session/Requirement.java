package io.pgsplit.proxy.session;

import io.pgsplit.router.Classification;
import io.pgsplit.router.RouteReason;
import io.pgsplit.router.StatementKind;
import io.pgsplit.router.TransactionControl;

/** What a segment needs from its server, and the reason label of that need. */
record Requirement(Need need, String reason) {

    enum Need {
        /** Writes and everything not known to be a read. */
        PRIMARY,
        /** Reads: a replica within the lag limits, else the primary. */
        READ,
        /** No statement at all (a lone Sync, a Close): any server. */
        ANY
    }

    static final String REASON_SESSION = "session";
    static final String REASON_FUNCTION_CALL = "function_call";
    static final String REASON_LARGE_REQUEST = "large_request";
    static final String REASON_PROTOCOL = "protocol";
    static final String REASON_PINNED = "pinned";
    /** A read sent to the primary because no replica has replayed the session's last commit yet. */
    static final String REASON_FENCE = "fence";

    static final Requirement PINNED = new Requirement(Need.PRIMARY, REASON_PINNED);
    static final Requirement FENCE = new Requirement(Need.PRIMARY, REASON_FENCE);
    static final Requirement FIRST_CONNECTION = new Requirement(Need.ANY, REASON_PROTOCOL);
    static final Requirement FIRST_READ = new Requirement(Need.READ, REASON_PROTOCOL);

    private static final Requirement LARGE_REQUEST = new Requirement(Need.PRIMARY, REASON_LARGE_REQUEST);
    private static final Requirement FUNCTION_CALL = new Requirement(Need.PRIMARY, REASON_FUNCTION_CALL);
    private static final Requirement SESSION = new Requirement(Need.PRIMARY, REASON_SESSION);
    /** One per reason and need, made once: a requirement is decided for every request. */
    private static final Requirement[] PRIMARY_FOR = forEveryReason(Need.PRIMARY);
    private static final Requirement[] READ_FOR = forEveryReason(Need.READ);

    static Requirement of(Segment segment, Classification classification) {
        if (segment.tooLarge) {
            return LARGE_REQUEST;
        }
        if (segment.functionCall) {
            return FUNCTION_CALL;
        }
        if (classification == null) {
            return FIRST_CONNECTION;
        }
        return ofStatements(classification);
    }

    private static Requirement[] forEveryReason(Need need) {
        RouteReason[] reasons = RouteReason.values();
        Requirement[] requirements = new Requirement[reasons.length];
        for (RouteReason reason : reasons) {
            requirements[reason.ordinal()] = new Requirement(need, reason.label());
        }
        return requirements;
    }

    /** What statements of this classification need, whatever request carries them. */
    static Requirement ofStatements(Classification classification) {
        if (classification.requiresPrimary()) {
            return PRIMARY_FOR[classification.reason().ordinal()];
        }
        if (classification.kinds().contains(StatementKind.SESSION)) {
            // A SET runs where writes go, on the session's own connection; every other connection the session
            // uses gets it replayed before it serves the session (ServerAlignment).
            return SESSION;
        }
        if (classification.transaction() == TransactionControl.BEGIN_READ_ONLY) {
            return READ_FOR[RouteReason.READ_ONLY_TRANSACTION.ordinal()];
        }
        return READ_FOR[classification.reason().ordinal()];
    }
}
