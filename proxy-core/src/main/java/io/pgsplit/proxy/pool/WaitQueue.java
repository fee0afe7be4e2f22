package io.pgsplit.proxy.pool;

import java.util.ArrayDeque;

/**
 * One loop's clients queued for a connection to one server, oldest first. Changed only on that loop; its size is
 * volatile because other loops read it when deciding whether a slot should move here.
 */
final class WaitQueue {
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final ServerPool server;
    private volatile int count;

    WaitQueue(ServerPool server) {
        this.server = server;
    }

    void add(Waiter waiter) {
        waiters.addLast(waiter);
        count++;
        server.waitingChanged(1);
    }

    /** Takes {@code waiter} out and stops its timer; false when it had already left (served, failed or cancelled). */
    boolean leave(Waiter waiter) {
        if (!waiters.remove(waiter)) {
            return false;
        }
        waiter.stopTimer();
        count--;
        server.waitingChanged(-1);
        return true;
    }

    /** The oldest waiter of any key, out of the queue, or null; those of a retired generation are failed first. */
    Waiter takeOldest() {
        failRetired();
        Waiter oldest = waiters.peekFirst();
        if (oldest != null) {
            leave(oldest);
        }
        return oldest;
    }

    /** The oldest waiter for {@code key}, out of the queue, or null; those of a retired generation are failed first. */
    Waiter takeOldest(PoolKey key) {
        if (waiters.isEmpty()) {
            return null;
        }
        failRetired();
        for (Waiter waiter : waiters) {
            if (waiter.key.equals(key)) {
                leave(waiter);
                return waiter;
            }
        }
        return null;
    }

    /** Waiters queue in generation order, so those of a retired generation are at the front. */
    void failRetired() {
        Waiter oldest;
        while ((oldest = waiters.peekFirst()) != null && oldest.generation != server.generation()) {
            leave(oldest);
            oldest.future.completeExceptionally(server.retiredError());
        }
    }

    /** The pools close: every waiter is failed. */
    void failAll() {
        Waiter oldest;
        while ((oldest = waiters.peekFirst()) != null) {
            leave(oldest);
            oldest.future.completeExceptionally(server.closedError());
        }
    }

    boolean isEmpty() {
        return waiters.isEmpty();
    }

    /** For other loops: whether clients queue here. */
    boolean hasWaiters() {
        return count > 0;
    }
}
