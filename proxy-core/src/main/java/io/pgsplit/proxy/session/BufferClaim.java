package io.pgsplit.proxy.session;

import io.pgsplit.proxy.memory.BufferBudget;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One session's share of the process-wide {@link BufferBudget}: before reading more of a request it
 * cannot yet route, the session reserves all the bytes that request will hold. Up to
 * {@link #FREE_BYTES} need no reservation, so ordinary statements never wait on the budget, even
 * when large ones have filled it; that allowance costs at most 8 kB per client.
 *
 * <p>When the budget has no room the session stops reading (the client's bytes wait in the socket,
 * TCP holds the client back) until others release, rather than failing: a burst of large requests
 * then costs the later ones time, not an error, and memory stays bounded either way. A session still
 * waiting after {@code limits.buffer_wait_timeout}, or whose one request is larger than the whole
 * budget, gets FATAL 53200. Everything runs on the session's loop, grants hop to it.
 */
final class BufferClaim {
    static final int FREE_BYTES = 8 << 10;

    private final BufferBudget budget;
    private final SessionIo io;
    /** A wait for room ended: route on and read again. */
    private final Runnable resumed;
    /** The request cannot be buffered: FATAL 53200 with this message, and close. */
    private final Consumer<String> outOfMemory;
    private final Supplier<Duration> waitTimeout;
    private long reserved;
    private BufferBudget.Wait wait;
    private SessionIo.Cancellable deadline;
    private boolean closed;

    BufferClaim(BufferBudget budget, SessionIo io, Runnable resumed, Consumer<String> outOfMemory,
                Supplier<Duration> waitTimeout) {
        this.budget = budget;
        this.io = io;
        this.resumed = resumed;
        this.outOfMemory = outOfMemory;
        this.waitTimeout = waitTimeout;
    }

    /**
     * Matches the reservation to {@code needed}, the bytes the request buffer will hold before its head
     * request can be routed, and returns whether the session may read on. Room is only asked for when
     * the session {@code wantsToRead}; a reservation larger than needed is given back at once.
     */
    boolean settle(long needed, boolean wantsToRead) {
        if (closed || wait != null) {
            return false;
        }
        long target = needed <= FREE_BYTES ? 0 : needed;
        if (target <= reserved) {
            budget.release(reserved - target);
            reserved = target;
            return true;
        }
        if (!wantsToRead) {
            return true;
        }
        if (target > budget.limit()) {
            outOfMemory.accept("out of memory: a request of " + target + " bytes is larger than pgsplit's buffer budget"
                    + " (limits.max_buffered_bytes " + budget.limit() + ")");
            return false;
        }
        long more = target - reserved;
        if (budget.tryReserve(more)) {
            reserved = target;
            return true;
        }
        wait = budget.await(more, () -> io.execute(this::granted));
        deadline = io.schedule(this::timedOut, waitTimeout.get().toNanos());
        return false;
    }

    /** Whether the session is paused for room in the budget. */
    boolean waiting() {
        return wait != null;
    }

    long reserved() {
        return reserved;
    }

    /** On the loop, after the budget reserved the bytes for this session. */
    private void granted() {
        if (closed || wait == null) {
            return; // closing gave the bytes back already
        }
        reserved += wait.bytes();
        wait = null;
        if (deadline != null) {
            deadline.cancel();
            deadline = null;
        }
        resumed.run();
    }

    private void timedOut() {
        deadline = null;
        if (closed || wait == null || !budget.withdraw(wait)) {
            return; // granted meanwhile: the grant is on its way to this loop
        }
        wait = null;
        outOfMemory.accept("out of memory: pgsplit's buffer budget (limits.max_buffered_bytes " + budget.limit()
                + ") had no room for this request for " + waitTimeout.get().toMillis() + " ms");
    }

    /** The session ends: everything reserved, or granted on the way here, goes back. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (deadline != null) {
            deadline.cancel();
            deadline = null;
        }
        if (wait != null && !budget.withdraw(wait)) {
            reserved += wait.bytes();
        }
        wait = null;
        budget.release(reserved);
        reserved = 0;
    }
}
