package io.pgsplit.proxy.pool;

import io.netty.channel.EventLoop;
import io.pgsplit.proxy.backend.BackendStartupException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything pooled for one server: the limit, counted once over every event loop, user and
 * database, and one {@link LoopPool} per event loop, since a channel never leaves its loop.
 *
 * <p>A slot freed on one loop may be needed by a client queued on another. Loops with queued
 * clients line up in {@link #waitingLoops}; each freed slot wakes the first of them, which opens a
 * connection on its own loop. A loop is in that line at most once, so loops take turns.
 */
final class ServerPool {
    /** A connection idle this long is not just between two queries of its loop's clients: another loop may have it. */
    static final long RESTING_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private final String serverName;
    private final ServerPools pools;
    /** Connections that count against the limit: lent, idle, or being opened. */
    private final AtomicInteger open = new AtomicInteger();
    /** Of {@link #open}: connections closed but not yet let go by the server; their slots are not free yet. */
    private final AtomicInteger closing = new AtomicInteger();
    private final AtomicInteger generation = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final ConcurrentHashMap<EventLoop, LoopPool> loops = new ConcurrentHashMap<>();
    private final Queue<LoopPool> waitingLoops = new ConcurrentLinkedQueue<>();

    ServerPool(String serverName, ServerPools pools) {
        this.serverName = serverName;
        this.pools = pools;
    }

    LoopPool on(EventLoop loop) {
        LoopPool pool = loops.get(loop); // no capturing lambda on the hot path once the loop has its pool
        return pool != null ? pool : loops.computeIfAbsent(loop, l -> new LoopPool(this, l));
    }

    PoolSettings settings() {
        return pools.settings();
    }

    ConnectionOpener opener() {
        return pools.opener();
    }

    long nanoTime() {
        return pools.nanoTime();
    }

    boolean isClosed() {
        return pools.isClosed();
    }

    /** Bumped by {@link #retire()}: connections and waiters of an earlier generation are not served again. */
    int generation() {
        return generation.get();
    }

    /** Claims a slot for a connection about to be opened; false when the server is at its limit. */
    boolean tryReserve() {
        int max = settings().maxPerServer();
        int current;
        do {
            current = open.get();
            if (current >= max) {
                return false;
            }
        } while (!open.compareAndSet(current, current + 1));
        return true;
    }

    /** More connections kept than the limit allows (after a reload lowered it); those closing do not count. */
    boolean overLimit() {
        return open.get() - closing.get() > settings().maxPerServer();
    }

    /** A connection is being closed: its slot stays taken until {@link #closed}, when the server has let go of it. */
    void closingStarted() {
        closing.incrementAndGet();
    }

    void closed() {
        closing.decrementAndGet();
        slotReleased();
    }

    /** A connection closed to give its slot to {@code taker} is gone: the slot, still claimed, goes straight there. */
    void closedFor(LoopPool taker) {
        closing.decrementAndGet();
        taker.slotHandedOver();
    }

    /** A connection counted against the limit is gone (closed, or its opening failed). */
    void slotReleased() {
        open.decrementAndGet();
        wakeNextWaitingLoop();
    }

    /** A loop with clients queued lines up for the next freed slot (once, however many clients it has). */
    void awaitSlot(LoopPool loopPool) {
        if (loopPool.markAwaitingSlot()) {
            waitingLoops.offer(loopPool);
        }
    }

    void wakeNextWaitingLoop() {
        LoopPool next = waitingLoops.poll();
        if (next != null) {
            next.slotMayBeFree();
        }
    }

    /** The limit was raised: every loop with clients queued may now open connections. */
    void wakeAllWaitingLoops() {
        LoopPool next;
        while ((next = waitingLoops.poll()) != null) {
            next.slotMayBeFree();
        }
    }

    /**
     * A client queued on {@code requester} while the server is at its limit: an idle connection on
     * another loop (of any user or database) holds a slot. The loop with the most idle connections
     * closes its least recently used one, and the freed slot goes to the queue, when that loop
     * holds more than its share or has had a connection idle for a while: one idle only between two
     * of its clients' queries would be reopened there at once.
     */
    void evictIdleElsewhere(LoopPool requester) {
        int share = fairShare();
        boolean noSlotOnItsWay = allSlotsHeld();
        long now = nanoTime();
        LoopPool richest = null;
        for (LoopPool candidate : loops.values()) {
            if (candidate != requester && candidate.idleCount() > 0
                    && (owes(candidate, requester, share, noSlotOnItsWay) || candidate.idleLongerThan(RESTING_NANOS, now))
                    && (richest == null || candidate.idleCount() > richest.idleCount())) {
                richest = candidate;
            }
        }
        if (richest != null) {
            richest.handOverOldestIdle(requester);
        }
    }

    /**
     * The loop with clients queued to which {@code owner} should give the connection it is taking back (closed
     * here, opened there, the slot claimed throughout so no third loop takes it), even before its own queue; or
     * null. That loop holds none, or {@code owner} holds more
     * than an even share of the limit among the loops that use this server and at least two more than that loop.
     * A move costs a new server connection, so loops busy alike keep what they hold. Slots still on their way
     * (closing, free, or claimed but not yet counted by a loop) cannot make a loop give too many: the share rule
     * stops at the giver's share, and a loop holding none is given one only while no slot is on its way.
     */
    LoopPool loopOwedBy(LoopPool owner) {
        if (!hasWaiters()) {
            return null; // the common case: nobody queued anywhere, no iteration
        }
        int share = fairShare();
        boolean noSlotOnItsWay = allSlotsHeld();
        for (LoopPool candidate : loops.values()) {
            if (candidate != owner && candidate.hasWaiters() && owes(owner, candidate, share, noSlotOnItsWay)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean owes(LoopPool owner, LoopPool needy, int share, boolean noSlotOnItsWay) {
        int needyHeld = needy.held();
        int ownerHeld = owner.held();
        if (needyHeld == 0) {
            return noSlotOnItsWay && ownerHeld > 0;
        }
        return ownerHeld > share && needyHeld + 1 < ownerHeld;
    }

    /**
     * Every slot of the limit is counted by some loop as lent, idle or opening. Otherwise one is free, closing or
     * just claimed, and will reach a loop with clients queued without anyone giving another.
     */
    private boolean allSlotsHeld() {
        int heldByLoops = 0;
        for (LoopPool loop : loops.values()) {
            heldByLoops += loop.held();
        }
        return heldByLoops >= settings().maxPerServer();
    }

    /** The limit divided among the loops holding connections or queuing for them, rounded up. */
    private int fairShare() {
        int using = 0;
        for (LoopPool loop : loops.values()) {
            if (loop.held() > 0 || loop.hasWaiters()) {
                using++;
            }
        }
        int max = settings().maxPerServer();
        return using == 0 ? max : (max + using - 1) / using;
    }

    /** The server is down or removed: nothing idle or queued of this generation is served again. */
    void retire() {
        generation.incrementAndGet();
        loops.values().forEach(LoopPool::dropRetired);
    }

    void close() {
        loops.values().forEach(LoopPool::close);
    }

    void waitingChanged(int delta) {
        waiting.addAndGet(delta);
    }

    boolean hasWaiters() {
        return waiting.get() > 0;
    }

    /**
     * Summed over the loops, each of which counts its own: shared counters would be two contended atomic adds
     * per query on each side of it, lending and returning.
     */
    int lent() {
        int lent = 0;
        for (LoopPool loop : loops.values()) {
            lent += loop.lentCount();
        }
        return lent;
    }

    private int idle() {
        int idle = 0;
        for (LoopPool loop : loops.values()) {
            idle += loop.idleCount();
        }
        return idle;
    }

    /** Read one after the other, so approximate; opening is what the limit counts beyond lent and idle. */
    PoolStats stats() {
        int lentNow = lent();
        int idleNow = idle();
        return new PoolStats(lentNow, idleNow, Math.max(0, open.get() - closing.get() - lentNow - idleNow), waiting.get());
    }

    PoolTimeoutException timeout(Duration waited) {
        return new PoolTimeoutException(serverName, waited, settings().limitKey(), settings().maxPerServer());
    }

    /** Treated by the session like a failed connection: the request goes to another server, or the client is told. */
    BackendStartupException retiredError() {
        return new BackendStartupException("pgsplit: server " + serverName
                + " was taken out of service while waiting for a connection to it", (Throwable) null);
    }

    BackendStartupException closedError() {
        return new BackendStartupException("pgsplit: the connection pools are closed (pgsplit is shutting down)", (Throwable) null);
    }
}
