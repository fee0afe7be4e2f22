package io.pgsplit.proxy.memory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes all sessions together may hold of client requests that are still arriving
 * ({@code limits.max_buffered_bytes}). A session reserves a whole message as soon as its header
 * tells the length, before reading the body: reserving as bytes come in would let several sessions
 * each hold part of the budget with none able to finish, while whole reservations always let the
 * holders complete and release.
 *
 * <p>Reservations that do not fit wait in arrival order and are granted as others release, the
 * oldest first: a newcomer that would fit is not let past a waiting one, so a large message is not
 * starved by a stream of smaller ones. Grants are reported from the releasing thread; the waiter
 * hops to its own event loop. Shared by every event loop, hence the lock; it is taken only for
 * requests larger than a session's free allowance, never for ordinary traffic.
 */
public final class BufferBudget {

    /** A reservation waiting for room; granted at most once, or withdrawn. */
    public static final class Wait {
        private final long bytes;
        private final Runnable onGranted;

        private Wait(long bytes, Runnable onGranted) {
            this.bytes = bytes;
            this.onGranted = onGranted;
        }

        public long bytes() {
            return bytes;
        }
    }

    private final ArrayDeque<Wait> waiting = new ArrayDeque<>();
    /** Written under the lock, read without it by the gauge. */
    private final AtomicLong reserved = new AtomicLong();
    private final AtomicLong waits = new AtomicLong();
    private volatile long limit;

    public BufferBudget(long limit) {
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    /** A reload changed {@code limits.max_buffered_bytes}: a larger budget lets waiters in now. */
    public void limit(long newLimit) {
        List<Wait> granted;
        synchronized (this) {
            limit = newLimit;
            granted = grantWaiting();
        }
        tellGranted(granted);
    }

    /** Reserves {@code bytes} if they fit now and nobody is waiting before them. */
    public synchronized boolean tryReserve(long bytes) {
        if (!waiting.isEmpty() || reserved.get() + bytes > limit) {
            return false;
        }
        reserved.addAndGet(bytes);
        return true;
    }

    /**
     * Queues a reservation that did not fit; {@code onGranted} runs (on a releasing thread) once the
     * bytes are reserved for the waiter, unless it is {@link #withdraw withdrawn} first.
     */
    public Wait await(long bytes, Runnable onGranted) {
        Wait wait = new Wait(bytes, onGranted);
        List<Wait> granted;
        synchronized (this) {
            waits.incrementAndGet();
            waiting.addLast(wait);
            granted = grantWaiting(); // the room may have come free since the caller's try
        }
        tellGranted(granted);
        return wait;
    }

    /** Returns true if {@code wait} was still waiting (now it is not); false if it was granted already. */
    public boolean withdraw(Wait wait) {
        List<Wait> granted;
        synchronized (this) {
            if (!waiting.remove(wait)) {
                return false;
            }
            granted = grantWaiting(); // the next in line may fit where the withdrawn one did not
        }
        tellGranted(granted);
        return true;
    }

    public void release(long bytes) {
        if (bytes <= 0) {
            return;
        }
        List<Wait> granted;
        synchronized (this) {
            reserved.addAndGet(-bytes);
            granted = grantWaiting();
        }
        tellGranted(granted);
    }

    /** Bytes reserved now, all sessions together. */
    public long reserved() {
        return reserved.get();
    }

    /** Reservations that had to wait, since start. */
    public long waits() {
        return waits.get();
    }

    /** Under the lock: the waiters that fit now, in order, stopping at the first that does not. */
    private List<Wait> grantWaiting() {
        List<Wait> granted = List.of();
        while (!waiting.isEmpty() && reserved.get() + waiting.peekFirst().bytes <= limit) {
            Wait next = waiting.pollFirst();
            reserved.addAndGet(next.bytes);
            if (granted.isEmpty()) {
                granted = new ArrayList<>(2);
            }
            granted.add(next);
        }
        return granted;
    }

    private static void tellGranted(List<Wait> granted) {
        granted.forEach(wait -> wait.onGranted.run());
    }
}
