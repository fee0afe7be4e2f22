package io.pgsplit.proxy.pool;

import io.netty.channel.EventLoop;
import io.pgsplit.proxy.backend.BackendConnection;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One server's connections and queued clients on one event loop. Its state is touched only on
 * that loop (other threads post tasks to it), so it needs no locks; only the limit is shared, in
 * {@link ServerPool}.
 */
final class LoopPool {
    private final ServerPool server;
    private final EventLoop loop;
    private final IdleConnections idle;
    private final WaitQueue waiters;
    /** Connections lent to clients, each with its pool entry (the server generation it was opened in). */
    // By identity, open addressing: lending and returning allocate nothing.
    private final Map<BackendConnection, PooledConnection> lent = new IdentityHashMap<>();
    /** {@code lent.size()} for other threads (stats); written by this loop only. */
    private volatile int lentCount;
    private final IdleConnectionListener idleListener = new IdleConnectionListener(this);
    private final AtomicBoolean awaitingSlot = new AtomicBoolean();
    /** Connections of this loop counted against the limit (lent, idle or opening); other loops read it. */
    private volatile int held;
    private boolean restingIdleCheckArmed;

    LoopPool(ServerPool server, EventLoop loop) {
        this.server = server;
        this.loop = loop;
        this.idle = new IdleConnections();
        this.waiters = new WaitQueue(server);
    }

    // ---------------------------------------------------------------- lending

    CompletableFuture<BackendConnection> acquire(PoolKey key) {
        if (server.isClosed()) {
            return CompletableFuture.failedFuture(server.closedError());
        }
        CompletableFuture<BackendConnection> result = new CompletableFuture<>();
        PooledConnection parked = takeIdle(key);
        if (parked != null) {
            lend(parked, result);
        } else if (reserveEvictingIdle()) {
            open(key, result);
        } else {
            enqueue(new Waiter(key, result, server.generation()));
        }
        return result;
    }

    BackendConnection tryAcquireIdle(PoolKey key) {
        if (server.isClosed()) {
            return null;
        }
        PooledConnection parked = takeIdle(key);
        if (parked == null) {
            return null;
        }
        markLent(parked);
        return parked.connection();
    }

    /** The newest live idle connection of {@code key}; dead or retired ones met on the way are dropped. */
    private PooledConnection takeIdle(PoolKey key) {
        PooledConnection candidate;
        while ((candidate = idle.takeNewest(key)) != null) {
            if (candidate.connection().isActive() && candidate.generation() == server.generation()) {
                return candidate;
            }
            discard(candidate.connection(), false);
        }
        return null;
    }

    /** Claims a slot, closing idle connections of other users or databases on this loop if they hold the last ones. */
    private boolean reserveEvictingIdle() {
        while (!server.tryReserve()) {
            if (!evictOldestIdleNow()) {
                return false;
            }
        }
        return true;
    }

    private boolean evictOldestIdleNow() {
        PooledConnection oldest = idle.takeOldest();
        if (oldest == null) {
            return false;
        }
        discard(oldest.connection(), true);
        return true;
    }

    /** Opens a connection in a slot already claimed; the acquire timeout covers only the wait for a slot. */
    private void open(PoolKey key, CompletableFuture<BackendConnection> result) {
        held++;
        int generation = server.generation();
        CompletableFuture<BackendConnection> opening;
        try {
            opening = server.opener().open(loop, key);
        } catch (RuntimeException e) {
            opening = CompletableFuture.failedFuture(e);
        }
        opening.whenComplete((connection, error) -> {
            if (loop.inEventLoop()) {
                opened(key, generation, connection, error, result);
            } else {
                loop.execute(() -> opened(key, generation, connection, error, result));
            }
        });
    }

    private void opened(PoolKey key, int generation, BackendConnection connection, Throwable error,
                        CompletableFuture<BackendConnection> result) {
        if (error != null) {
            held--;
            server.slotReleased();
            result.completeExceptionally(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            return;
        }
        connection.attach(idleListener); // until the client attaches itself, nothing the server says may go unread
        if (server.isClosed()) {
            discard(connection, true);
            result.completeExceptionally(server.closedError());
            return;
        }
        lend(new PooledConnection(key, connection, generation), result);
    }

    /** A client that gave up meanwhile (cancelled) does not get it: it goes straight back. */
    private void lend(PooledConnection entry, CompletableFuture<BackendConnection> result) {
        markLent(entry);
        if (!result.complete(entry.connection())) {
            release(entry.key(), entry.connection(), true);
        }
    }

    private void markLent(PooledConnection entry) {
        lent.put(entry.connection(), entry);
        lentCount = lent.size();
    }

    // ---------------------------------------------------------------- returning

    void release(PoolKey key, BackendConnection connection, boolean reusable) {
        PooledConnection entry = lent.remove(connection);
        if (entry == null) {
            throw new IllegalStateException(connection + " is not lent by the pool of " + key);
        }
        lentCount = lent.size();
        if (!reusable || !connection.isIdle() || !connection.isActive()) {
            discard(connection, false); // its state is unknown or mid-transaction: closing rolls it back
            return;
        }
        if (entry.generation() != server.generation() || server.isClosed() || server.overLimit()) {
            discard(connection, true);
            return;
        }
        LoopPool taker = server.loopOwedBy(this);
        if (taker != null) {
            handOver(connection, taker); // a slot that moves to another loop costs it a new connection: only to even out shares
            return;
        }
        Waiter waiter = waiters.takeOldest(key);
        if (waiter != null) {
            lend(entry, waiter.future);
            return;
        }
        park(entry.parkedAt(server.nanoTime()));
        // Parked before looking, so a client queuing elsewhere meanwhile either is seen here or sees this connection to evict.
        if (!waiters.isEmpty()) {
            evictOldestIdleNow(); // a client of another user or database here needs the slot
        }
    }

    private void park(PooledConnection entry) {
        BackendConnection connection = entry.connection();
        connection.attach(idleListener);
        connection.setAutoRead(true); // a paused channel would not notice the server closing it
        idle.add(entry);
    }

    /** The server closed a parked connection: it leaves the pool and its slot goes to whoever waits. */
    void idleConnectionClosed(BackendConnection connection) {
        if (idle.remove(connection)) {
            held--;
            server.slotReleased();
        }
    }

    /** Closes a connection that counted against the limit; its slot is free once it is closed, not before. */
    private void discard(BackendConnection connection, boolean clean) {
        close(connection, clean, server::closed);
    }

    /**
     * Closes a connection so that its slot goes to {@code taker}'s queue: the slot stays claimed until that loop
     * opens a connection in it, so no loop in between (this one included) can take it first.
     */
    private void handOver(BackendConnection connection, LoopPool taker) {
        close(connection, true, () -> server.closedFor(taker));
    }

    private void close(BackendConnection connection, boolean clean, Runnable whenGone) {
        held--;
        connection.attach(DiscardingListener.INSTANCE);
        server.closingStarted();
        connection.whenClosed(whenGone);
        if (clean) {
            connection.terminate();
        } else {
            connection.hangUp();
        }
    }

    // ---------------------------------------------------------------- queueing

    private void enqueue(Waiter waiter) {
        waiters.add(waiter);
        Duration timeout = server.settings().acquireTimeout();
        waiter.timeout(loop.schedule(() -> {
            if (waiters.leave(waiter)) {
                waiter.future.completeExceptionally(server.timeout(timeout));
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS));
        waiter.future.whenComplete((connection, error) -> {
            if (error instanceof CancellationException) {
                onLoop(() -> waiters.leave(waiter));
            }
        });
        serveWaiters();
        if (!waiters.isEmpty()) {
            server.evictIdleElsewhere(this);
            lookForRestingIdleLater();
        }
    }

    /**
     * An idle connection on another loop that was only between two queries when a client queued here may rest
     * afterwards while this loop's own connections stay lent (a long transaction): look again while clients wait.
     */
    private void lookForRestingIdleLater() {
        if (restingIdleCheckArmed) {
            return;
        }
        restingIdleCheckArmed = true;
        loop.schedule(() -> {
            restingIdleCheckArmed = false;
            if (!waiters.isEmpty()) {
                server.evictIdleElsewhere(this);
                lookForRestingIdleLater();
            }
        }, ServerPool.RESTING_NANOS, TimeUnit.NANOSECONDS);
    }

    /** Opens connections for the oldest waiters while the server has room, else lines up for the next free slot. */
    private void serveWaiters() {
        waiters.failRetired();
        while (!waiters.isEmpty()) {
            if (!server.tryReserve()) {
                server.awaitSlot(this);
                if (!server.tryReserve()) {
                    return; // the second look catches a slot freed before this loop was in line
                }
            }
            Waiter oldest = waiters.takeOldest();
            if (oldest == null) {
                server.slotReleased(); // the server was retired meanwhile and its waiters failed
                return;
            }
            open(oldest.key, oldest.future);
        }
    }

    // ---------------------------------------------------------------- signals from other threads

    /** True when this loop was not yet in line for a slot; cleared when it is woken. */
    boolean markAwaitingSlot() {
        return awaitingSlot.compareAndSet(false, true);
    }

    /** Woken for a freed slot; with nobody queued here any more, the slot goes to the next loop in line. */
    void slotMayBeFree() {
        awaitingSlot.set(false);
        onLoop(() -> {
            waiters.failRetired();
            if (waiters.isEmpty()) {
                server.wakeNextWaitingLoop();
            } else {
                serveWaiters();
            }
        });
    }

    int idleCount() {
        return idle.count();
    }

    /** True when this loop's oldest idle connection was parked more than {@code nanos} before {@code now}. */
    boolean idleLongerThan(long nanos, long now) {
        return idle.restedLongerThan(nanos, now);
    }

    int held() {
        return held;
    }

    int lentCount() {
        return lentCount;
    }

    boolean hasWaiters() {
        return waiters.hasWaiters();
    }

    /** Asked by {@code taker}, which has clients queued: this loop's least recently used idle connection is its. */
    void handOverOldestIdle(LoopPool taker) {
        onLoop(() -> {
            PooledConnection oldest = idle.takeOldest();
            if (oldest != null) {
                handOver(oldest.connection(), taker);
            }
        });
    }

    /** Another loop closed a connection to give this one its slot, still claimed: it opens for the oldest waiter. */
    void slotHandedOver() {
        if (!onLoop(this::openInHandedSlot)) {
            server.slotReleased();
        }
    }

    private void openInHandedSlot() {
        Waiter oldest = server.isClosed() ? null : waiters.takeOldest();
        if (oldest == null) {
            server.slotReleased(); // nobody here needs it any more: the next loop in line may
            return;
        }
        open(oldest.key, oldest.future);
    }

    void dropRetired() {
        onLoop(() -> {
            waiters.failRetired();
            idle.takeRetired(server.generation(), entry -> discard(entry.connection(), true));
        });
    }

    void close() {
        onLoop(() -> {
            waiters.failAll();
            while (evictOldestIdleNow()) {
                // one connection closed per call
            }
        });
    }

    /**
     * Always a later task, never inline, so a signal never re-enters pool code already running on
     * this loop. A loop that is shutting down has no sessions left to serve.
     */
    private boolean onLoop(Runnable task) {
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException shuttingDown) {
            return false; // nothing on this loop needs the pool any more
        }
    }
}
