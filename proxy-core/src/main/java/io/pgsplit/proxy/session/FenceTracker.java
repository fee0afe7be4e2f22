package io.pgsplit.proxy.session;

import io.pgsplit.health.Lsn;
import io.pgsplit.proxy.config.Consistency;
import io.pgsplit.router.Classification;
import io.pgsplit.router.StatementKind;

/**
 * Read-your-writes for one session: the WAL position its reads must see (its last commit's, or a
 * causal token), whether that position is still on its way from the primary, and what it wrote
 * while it did not care ({@code eventual}). Knows nothing of connections: the machine asks the
 * primary for positions when this says so.
 */
final class FenceTracker {

    /** When to ask the primary for its WAL position after a group that went there. */
    enum Ask {
        NOTHING,
        /** Right behind the group, on the same connection. */
        NOW,
        /** After the group's ReadyForQuery: the server is in COPY IN until the client's CopyDone. */
        AFTER_READY_FOR_QUERY
    }

    private Consistency consistency;
    /** The WAL position of this session's last commit (or a causal token), 0 when none. */
    private long fence;
    /** The position after a commit has been asked for and not answered yet: reads wait for it. */
    private boolean pending;
    /** The last attempt to learn the fence failed: reads go to the primary until a write sets a new one. */
    private boolean unknown;
    /** A write ran in the transaction still open, so its end gets a fence. */
    private boolean transactionWrote;
    /** A write committed while the session was eventual: switching to read-your-writes must fence it. */
    private boolean wroteUnfenced;
    private boolean askAfterReadyForQuery;
    private boolean earlierWrites;
    /** The last causal token set with SET pgsplit.min_lsn. */
    private long requiredLsn;

    FenceTracker(Consistency consistency) {
        this.consistency = consistency;
    }

    Consistency consistency() {
        return consistency;
    }

    /** Reads must wait: the position of a commit just made is on its way. */
    boolean positionPending() {
        return consistency == Consistency.READ_YOUR_WRITES && pending;
    }

    /** The position of a commit was asked for and has not come back: answers that show it must wait. */
    boolean awaitingPosition() {
        return pending;
    }

    /** Reads may go only to replicas that replayed the fence. */
    boolean constrainsReplicas() {
        return consistency == Consistency.READ_YOUR_WRITES && (fence > 0 || unknown);
    }

    /** False when the fence could not be learnt: no replica is known to be safe. */
    boolean known() {
        return !unknown;
    }

    /** Whether a replica at {@code replayLsn} has replayed the fence. */
    boolean replayed(long replayLsn) {
        return !unknown && replayLsn >= fence;
    }

    /**
     * A group ending in Sync or a Query went to the primary. After one that wrote and ends outside a
     * transaction (autocommit, or a COMMIT), the primary is asked for its WAL position right behind
     * it, so the client never waits for the answer; the next read waits only if it is not there yet.
     */
    Ask afterPrimaryGroup(Segment s, Classification classification, boolean transactionEnds) {
        boolean wrote = writes(s, classification);
        if (consistency != Consistency.READ_YOUR_WRITES) {
            wroteUnfenced |= wrote;
            return Ask.NOTHING;
        }
        transactionWrote |= wrote;
        if (!transactionWrote || !transactionEnds) {
            return Ask.NOTHING;
        }
        transactionWrote = false;
        pending = true;
        if (CopyStatements.mayStart(s)) {
            askAfterReadyForQuery = true;
            return Ask.AFTER_READY_FOR_QUERY;
        }
        return Ask.NOW;
    }

    /** True once, when the position asked to wait for the group's ReadyForQuery may be asked now. */
    boolean takeAskAfterReadyForQuery() {
        boolean ask = askAfterReadyForQuery;
        askAfterReadyForQuery = false;
        return ask;
    }

    /** Whether the segment may change data: by its reason, or by any of its statements (BEGIN; INSERT; COMMIT). */
    static boolean writes(Segment s, Classification classification) {
        if (classification == null) {
            return s.functionCall || s.tooLarge;
        }
        return classification.requiresPrimary() && (classification.kinds().contains(StatementKind.WRITE)
                || switch (classification.reason()) {
                    case WRITE, VOLATILE_FUNCTION, UNKNOWN_FUNCTION, UNPARSED, HINT -> true;
                    default -> false;
                });
    }

    /** The primary answered {@code SELECT pg_current_wal_lsn()} with {@code value} (null: it failed). */
    void onPosition(String value) {
        pending = false;
        try {
            long position = Lsn.parse(value);
            unknown = position < 0;
            fence = Math.max(fence, position);
        } catch (IllegalArgumentException e) {
            unknown = true;
        }
    }

    /** The primary connection closed: a position on its way is lost with it. Returns whether one was. */
    boolean positionLost() {
        if (!pending) {
            return false;
        }
        pending = false;
        askAfterReadyForQuery = false;
        unknown = true; // be safe until the next write
        return true;
    }

    /** Asking now is impossible (no idle primary connection): reads go to the primary until the next write. */
    void cannotAsk() {
        unknown = true;
    }

    /**
     * SET pgsplit.consistency. A session that wrote while eventual and now wants its own writes must
     * be fenced: see {@link #takeEarlierWrites}.
     */
    void consistency(Consistency mode) {
        this.consistency = mode;
        if (mode == Consistency.READ_YOUR_WRITES && wroteUnfenced) {
            wroteUnfenced = false;
            earlierWrites = true;
        }
    }

    /** True once after switching back to read-your-writes with unfenced writes: the primary's current position covers them all. */
    boolean takeEarlierWrites() {
        boolean take = earlierWrites;
        earlierWrites = false;
        return take;
    }

    /** The position of a commit asked for right now, outside any group. */
    void asked() {
        pending = true;
    }

    /** A causal token from another session (SET pgsplit.min_lsn): reads wait for it too. */
    void requireLsn(long position) {
        requiredLsn = position;
        fence = Math.max(fence, position);
    }

    /** SHOW pgsplit.last_lsn: the fence in PostgreSQL's text form, "0/0" when there is none. */
    String lastLsn() {
        return Lsn.format(fence);
    }

    /** SHOW pgsplit.min_lsn. */
    String requiredLsn() {
        return Lsn.format(requiredLsn);
    }
}
