package io.pgsplit.proxy.pool;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalIoHandler;
import io.netty.util.concurrent.EventExecutor;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.protocol.backend.NoticeResponse;
import io.pgsplit.protocol.backend.ReadyForQuery;
import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.protocol.frontend.Query;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.backend.BackendStartupException;
import io.pgsplit.proxy.backend.Dispatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServerPoolsTest {
    private static final ServerAddress REPLICA = new ServerAddress("replica1", "127.0.0.1", 5433);
    private static final PoolKey ALICE = new PoolKey(REPLICA, "alice", "app");
    private static final PoolKey BOB = new PoolKey(REPLICA, "bob", "app");
    private static final Duration LONG_WAIT = Duration.ofSeconds(60);
    /** Only a failing test waits this long; the machine may be busy with other builds. */
    private static final int PATIENCE_SECONDS = 30;

    private final EventLoopGroup serverLoop = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
    private final EventLoopGroup clientLoops = new MultiThreadIoEventLoopGroup(2, LocalIoHandler.newFactory());
    private final EventLoop loopA;
    private final EventLoop loopB;
    private final FakeReplica replica = new FakeReplica(serverLoop);
    private final FakeOpener opener = new FakeOpener(replica);
    private ServerPools pools;

    ServerPoolsTest() {
        Iterator<EventExecutor> loops = clientLoops.iterator();
        loopA = (EventLoop) loops.next();
        loopB = (EventLoop) loops.next();
    }

    @AfterEach
    void shutDown() {
        if (pools != null) {
            pools.close();
        }
        opener.closeAll();
        await().atMost(PATIENCE_SECONDS, SECONDS).until(() -> replica.connectionCount() == 0); // before their peers' loops stop
        clientLoops.shutdownGracefully(0, PATIENCE_SECONDS, SECONDS).syncUninterruptibly();
        replica.close();
        serverLoop.shutdownGracefully(0, PATIENCE_SECONDS, SECONDS).syncUninterruptibly();
    }

    private ServerPools pools(int maxPerServer) {
        return pools(maxPerServer, LONG_WAIT, opener);
    }

    private ServerPools pools(int maxPerServer, Duration acquireTimeout, ConnectionOpener connectionOpener) {
        return pools(maxPerServer, acquireTimeout, connectionOpener, System::nanoTime);
    }

    private ServerPools pools(int maxPerServer, Duration acquireTimeout, ConnectionOpener connectionOpener,
                              LongSupplier nanoClock) {
        pools = new ServerPools(new PoolSettings("pool.replica_max_per_server", maxPerServer, acquireTimeout),
                connectionOpener, nanoClock);
        return pools;
    }

    private static <T> T on(EventLoop loop, Callable<T> task) throws Exception {
        return loop.submit(task).get(PATIENCE_SECONDS, SECONDS);
    }

    private CompletableFuture<BackendConnection> acquire(EventLoop loop, PoolKey key) throws Exception {
        return on(loop, () -> pools.acquire(loop, key));
    }

    private BackendConnection acquired(EventLoop loop, PoolKey key) throws Exception {
        return acquire(loop, key).get(PATIENCE_SECONDS, SECONDS);
    }

    private void release(PoolKey key, BackendConnection connection, boolean reusable) throws Exception {
        on(connection.channel().eventLoop(), () -> {
            pools.release(key, connection, reusable);
            return null;
        });
    }

    private PoolStats stats() {
        return pools.stats(REPLICA.name());
    }

    private static void awaitClosed(BackendConnection connection) {
        await().atMost(PATIENCE_SECONDS, SECONDS).until(() -> !connection.channel().isOpen());
    }

    @Test
    void nextAcquireOfTheSameKeyReusesTheReleasedConnection() throws Exception {
        pools(5);
        BackendConnection first = acquired(loopA, ALICE);
        release(ALICE, first, true);

        assertThat(stats()).isEqualTo(new PoolStats(0, 1, 0, 0));
        BackendConnection second = acquired(loopA, ALICE);

        assertThat(second).isSameAs(first);
        assertThat(second.channel().eventLoop()).isSameAs(loopA);
        assertThat(opener.opened()).isEqualTo(1);
        assertThat(stats()).isEqualTo(new PoolStats(1, 0, 0, 0));
    }

    @Test
    void aConnectionBeingOpenedCountsAsOpeningUntilItIsLent() throws Exception {
        CompletableFuture<BackendConnection> slowServer = new CompletableFuture<>();
        pools(5, LONG_WAIT, (loop, key) -> slowServer);
        CompletableFuture<BackendConnection> borrowing = acquire(loopA, ALICE);

        assertThat(stats()).isEqualTo(new PoolStats(0, 0, 1, 0));
        slowServer.complete(opener.open(loopA, ALICE).get(PATIENCE_SECONDS, SECONDS));
        BackendConnection lent = borrowing.get(PATIENCE_SECONDS, SECONDS);

        assertThat(stats()).isEqualTo(new PoolStats(1, 0, 0, 0));
        release(ALICE, lent, true);
        assertThat(stats()).isEqualTo(new PoolStats(0, 1, 0, 0));
    }

    @Test
    void tryAcquireIdleLendsAParkedConnectionAtOnceAndNothingOtherwise() throws Exception {
        pools(5);
        assertThat(on(loopA, () -> Optional.ofNullable(pools.tryAcquireIdle(loopA, ALICE)))).as("nothing parked yet").isEmpty();
        BackendConnection first = acquired(loopA, ALICE);
        release(ALICE, first, true);

        assertThat(on(loopB, () -> Optional.ofNullable(pools.tryAcquireIdle(loopB, ALICE)))).as("parked on another loop").isEmpty();
        assertThat(on(loopA, () -> Optional.ofNullable(pools.tryAcquireIdle(loopA, BOB)))).as("another user's").isEmpty();
        BackendConnection again = on(loopA, () -> pools.tryAcquireIdle(loopA, ALICE));

        assertThat(again).isSameAs(first);
        assertThat(stats()).isEqualTo(new PoolStats(1, 0, 0, 0));
        release(ALICE, again, true);
        assertThat(stats()).as("returned exactly once").isEqualTo(new PoolStats(0, 1, 0, 0));
        assertThat(opener.opened()).isEqualTo(1);
    }

    @Test
    void tryAcquireIdleSkipsAConnectionOfARetiredGeneration() throws Exception {
        pools(5);
        BackendConnection first = acquired(loopA, ALICE);
        release(ALICE, first, true);
        pools.retire(REPLICA.name());
        awaitClosed(first);

        assertThat(on(loopA, () -> Optional.ofNullable(pools.tryAcquireIdle(loopA, ALICE)))).isEmpty();
        assertThat(stats()).isEqualTo(new PoolStats(0, 0, 0, 0));
    }

    @Test
    void limitCountsConnectionsOfEveryLoop() throws Exception {
        pools(2);
        acquired(loopA, ALICE);
        acquired(loopB, ALICE);

        CompletableFuture<BackendConnection> onA = acquire(loopA, ALICE);
        CompletableFuture<BackendConnection> onB = acquire(loopB, ALICE);

        assertThat(onA).isNotDone();
        assertThat(onB).isNotDone();
        assertThat(stats()).isEqualTo(new PoolStats(2, 0, 0, 2));
        assertThat(opener.opened()).isEqualTo(2);
    }

    @Test
    void queuedClientGetsTheConnectionReleasedOnItsLoop() throws Exception {
        pools(1);
        BackendConnection first = acquired(loopA, ALICE);
        CompletableFuture<BackendConnection> queued = acquire(loopA, ALICE);

        release(ALICE, first, true);

        assertThat(queued.get(PATIENCE_SECONDS, SECONDS)).isSameAs(first);
        assertThat(opener.opened()).isEqualTo(1);
        assertThat(stats()).isEqualTo(new PoolStats(1, 0, 0, 0));
    }

    /** The waiting loop opens its connection only once the server has let go of the one closed for it. */
    @Test
    void aSlotFreedByClosingAConnectionIsTakenOnlyOnceTheServerClosedIt() throws Exception {
        replica.terminateDelay(300);
        pools(1);
        BackendConnection first = acquired(loopA, ALICE);
        CompletableFuture<BackendConnection> queuedOnB = acquire(loopB, ALICE);

        release(ALICE, first, true);
        queuedOnB.get(PATIENCE_SECONDS, SECONDS);

        assertThat(replica.highestConnectionCount()).as("connections the server had at once").isEqualTo(1);
    }

    @Test
    void releaseOnAnotherLoopClosesTheConnectionAndTheWaitingLoopOpensItsOwn() throws Exception {
        pools(1);
        BackendConnection first = acquired(loopA, ALICE);
        CompletableFuture<BackendConnection> queuedOnB = acquire(loopB, ALICE);

        release(ALICE, first, true);
        BackendConnection fresh = queuedOnB.get(PATIENCE_SECONDS, SECONDS);

        assertThat(fresh).isNotSameAs(first);
        assertThat(fresh.channel().eventLoop()).isSameAs(loopB);
        assertThat(first.channel().isOpen()).isFalse();
        assertThat(opener.peak()).as("never more than the limit open at once").isEqualTo(1);
        assertThat(stats()).isEqualTo(new PoolStats(1, 0, 0, 0));
    }

    /** Moving a slot between loops costs a server connection: loops that hold even shares keep them. */
    @Test
    void aLoopDoesNotGiveUpAConnectionToALoopHoldingAsMany() throws Exception {
        pools(4);
        BackendConnection a1 = acquired(loopA, ALICE);
        acquired(loopA, ALICE);
        BackendConnection b1 = acquired(loopB, ALICE);
        acquired(loopB, ALICE);
        CompletableFuture<BackendConnection> queuedOnB = acquire(loopB, ALICE);

        release(ALICE, a1, true);

        assertThat(a1.channel().isOpen()).as("kept idle on its loop").isTrue();
        assertThat(stats()).isEqualTo(new PoolStats(3, 1, 0, 1));
        release(ALICE, b1, true);
        assertThat(queuedOnB.get(PATIENCE_SECONDS, SECONDS)).isSameAs(b1);
        assertThat(opener.opened()).isEqualTo(4);
    }

    /** A loop holding two more than a loop with clients queued gives one up, even before its own queue. */
    @Test
    void aLoopHoldingClearlyMoreGivesUpAConnectionToAQueuedLoop() throws Exception {
        pools(3);
        BackendConnection a1 = acquired(loopA, ALICE);
        acquired(loopA, ALICE);
        acquired(loopB, ALICE);
        CompletableFuture<BackendConnection> queuedOnA = acquire(loopA, ALICE);
        CompletableFuture<BackendConnection> queuedOnB = acquire(loopB, ALICE);
        release(ALICE, a1, true);

        assertThat(queuedOnA.get(PATIENCE_SECONDS, SECONDS)).as("2 against 1: loop A keeps its connection").isSameAs(a1);
        assertThat(queuedOnB).isNotDone();
        BackendConnection a2 = queuedOnA.get();
        CompletableFuture<BackendConnection> againOnA = acquire(loopA, ALICE);
        // Loop B is served by its own releases; loop A's third client waits for A's next release.
        assertThat(againOnA).isNotDone();
        release(ALICE, a2, true);
        assertThat(againOnA.get(PATIENCE_SECONDS, SECONDS)).isSameAs(a2);
        assertThat(opener.opened()).isEqualTo(3);
    }

    /**
     * A loop whose own connections stay lent (a long transaction) gets another loop's idle connection once that one
     * has rested, even though it was idle only between two queries when the client queued, and it holds its share.
     */
    @Test
    void aClientQueuedBehindALongTransactionGetsAnIdleConnectionOfAnotherLoopOnceItRests() throws Exception {
        pools(2, Duration.ofSeconds(20), opener);
        BackendConnection onA = acquired(loopA, ALICE);
        acquired(loopB, ALICE); // held by a long transaction
        release(ALICE, onA, true);
        CompletableFuture<BackendConnection> queuedOnB = acquire(loopB, ALICE);

        BackendConnection served = queuedOnB.get(5, SECONDS);

        assertThat(served.channel().eventLoop()).isSameAs(loopB);
        assertThat(onA.channel().isOpen()).isFalse();
        assertThat(opener.peak()).isLessThanOrEqualTo(2);
    }

    /**
     * A connection keeps one pool entry for its whole life: parked again after another query, it counts as parked
     * from then, not from its first parking, so a queued loop does not take it away as resting while it serves.
     */
    @Test
    void aConnectionParkedAgainRestsOnlyFromItsLatestParking() throws Exception {
        AtomicLong clock = new AtomicLong(SECONDS.toNanos(5));
        pools(2, Duration.ofSeconds(20), opener, clock::get);
        acquired(loopB, ALICE); // held by a long transaction
        BackendConnection onA = acquired(loopA, ALICE);
        release(ALICE, onA, true);
        clock.addAndGet(SECONDS.toNanos(1));
        assertThat(acquired(loopA, ALICE)).isSameAs(onA);
        release(ALICE, onA, true); // between two queries, as far as the pools can tell

        CompletableFuture<BackendConnection> queuedOnB = acquire(loopB, ALICE);

        assertThatThrownBy(() -> queuedOnB.get(3 * ServerPool.RESTING_NANOS, NANOSECONDS))
                .isInstanceOf(TimeoutException.class);
        assertThat(onA.channel().isOpen()).isTrue();
        clock.addAndGet(SECONDS.toNanos(1));
        assertThat(queuedOnB.get(PATIENCE_SECONDS, SECONDS).channel().eventLoop()).isSameAs(loopB);
        awaitClosed(onA);
    }

    /**
     * Clients of one user on two loops, each borrowing, holding for a moment, returning and coming back, as pgbench
     * clients do. Loop A's clients start first and hold every slot; once B's clients queue, A gives B its share,
     * and from then on connections are lent and taken back, not closed and reopened: 4 opened for A, 2 moved to B.
     * The pools' clock stands still, so however long a busy machine stalls these loops, no connection counts as
     * rested: only the share rule may move a slot.
     */
    @Test
    void busyLoopsKeepTheirSharesInsteadOfTradingConnections() throws Exception {
        pools(4, LONG_WAIT, opener, () -> 0L);
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        CompletableFuture<Void> bothLoopsQueue = new CompletableFuture<>();
        startBorrowing(loopA, clients, bothLoopsQueue);
        await().atMost(PATIENCE_SECONDS, SECONDS).until(() -> opener.opened() == 4 && stats().waiting() == 2);
        startBorrowing(loopB, clients, CompletableFuture.completedFuture(null));
        await().atMost(PATIENCE_SECONDS, SECONDS).until(() -> stats().waiting() == 8);
        bothLoopsQueue.complete(null);

        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(PATIENCE_SECONDS, SECONDS);

        assertThat(opener.peak()).isLessThanOrEqualTo(4);
        assertThat(opener.opened()).as("connections opened for 480 borrowings of 4 slots").isEqualTo(6);
    }

    /**
     * A slot handed to a loop whose only client gave up meanwhile is not lost: that loop lets it go, and the next
     * client anywhere is served within the limit.
     */
    @Test
    void aSlotHandedToALoopWhoseClientLeftIsFreedForTheNext() throws Exception {
        pools(1, LONG_WAIT, opener, () -> 0L);
        BackendConnection onA = acquired(loopA, ALICE);
        CompletableFuture<BackendConnection> queuedOnB = acquire(loopB, ALICE);
        await().atMost(PATIENCE_SECONDS, SECONDS).until(() -> stats().waiting() == 1);

        queuedOnB.cancel(false);
        release(ALICE, onA, true); // B holds none and may still count as waiting: the slot may be handed to it

        BackendConnection next = acquire(loopA, ALICE).get(PATIENCE_SECONDS, SECONDS);
        assertThat(next.isActive()).isTrue();
        assertThat(opener.peak()).isEqualTo(1);
        release(ALICE, next, true);
        await().atMost(PATIENCE_SECONDS, SECONDS).until(() -> stats().waiting() == 0 && stats().lent() == 0);
    }

    /** Six clients on {@code loop} borrowing 40 times each; the first borrowings are held until {@code firstRelease}. */
    private void startBorrowing(EventLoop loop, List<CompletableFuture<Void>> clients, CompletableFuture<Void> firstRelease) {
        for (int i = 0; i < 6; i++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            clients.add(done);
            loop.execute(() -> borrowRepeatedly(loop, 40, firstRelease, done));
        }
    }

    /** Borrows, holds for a millisecond (the first time also until {@code release}), returns, waits a millisecond, over. */
    private void borrowRepeatedly(EventLoop loop, int times, CompletableFuture<Void> release, CompletableFuture<Void> done) {
        if (times == 0) {
            done.complete(null);
            return;
        }
        pools.acquire(loop, ALICE).whenComplete((connection, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
                return;
            }
            release.thenRun(() -> loop.schedule(() -> {
                pools.release(ALICE, connection, true);
                loop.schedule(() -> borrowRepeatedly(loop, times - 1, CompletableFuture.completedFuture(null), done),
                        1, MILLISECONDS);
            }, 1, MILLISECONDS));
        });
    }

    @Test
    void manyClientsOfTwoUsersOnTwoLoopsAreAllServedWithinTheLimit() throws Exception {
        pools(3);
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            EventLoop loop = i % 2 == 0 ? loopA : loopB;
            PoolKey key = i % 3 == 0 ? BOB : ALICE;
            CompletableFuture<Void> served = new CompletableFuture<>();
            clients.add(served);
            loop.execute(() -> pools.acquire(loop, key).whenComplete((connection, error) -> {
                if (error != null) {
                    served.completeExceptionally(error);
                    return;
                }
                loop.schedule(() -> {
                    pools.release(key, connection, true);
                    served.complete(null);
                }, 1, MILLISECONDS);
            }));
        }

        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(PATIENCE_SECONDS, SECONDS);

        assertThat(opener.peak()).isLessThanOrEqualTo(3);
        assertThat(stats().lent()).isZero();
        assertThat(stats().waiting()).isZero();
        assertThat(stats().idle()).isBetween(1, 3);
    }

    @Test
    void queuedClientFailsWithPoolTimeoutAfterTheAcquireTimeout() throws Exception {
        pools(1, Duration.ofMillis(200), opener);
        acquired(loopA, ALICE);
        long start = System.nanoTime();
        CompletableFuture<BackendConnection> queued = acquire(loopA, ALICE);

        assertThatThrownBy(() -> queued.get(PATIENCE_SECONDS, SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(PoolTimeoutException.class)
                .hasMessage("pgsplit: no connection to server replica1 became free within 200 ms (pool.replica_max_per_server=1)");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(stats()).isEqualTo(new PoolStats(1, 0, 0, 0));
    }

    @Test
    void connectionReleasedAsNotReusableIsClosedAndItsSlotFreed() throws Exception {
        pools(1);
        BackendConnection first = acquired(loopA, ALICE);

        release(ALICE, first, false);

        awaitClosed(first);
        assertThat(stats()).isEqualTo(new PoolStats(0, 0, 0, 0));
        assertThat(acquired(loopA, ALICE)).isNotSameAs(first);
    }

    @Test
    void connectionThatStillOwesRepliesIsClosedNotPooled() throws Exception {
        pools(1);
        BackendConnection busy = acquired(loopA, ALICE);
        on(loopA, () -> {
            busy.send(null, null, new Query("SELECT pg_sleep(10)").encode(busy.channel().alloc()), new Dispatch(0, 0, 0, 0, true));
            busy.flush();
            return null;
        });

        release(ALICE, busy, true);

        awaitClosed(busy);
        assertThat(stats()).isEqualTo(new PoolStats(0, 0, 0, 0));
    }

    @Test
    void connectionInsideATransactionIsClosedNotPooled() throws Exception {
        pools(1);
        BackendConnection inTransaction = acquired(loopA, ALICE);
        on(loopA, () -> {
            inTransaction.send(null, null, new Query("BEGIN READ ONLY").encode(inTransaction.channel().alloc()), new Dispatch(0, 0, 0, 0, true));
            inTransaction.flush();
            return null;
        });
        replica.send(inTransaction, new ReadyForQuery(TransactionStatus.IN_TRANSACTION));
        await().atMost(PATIENCE_SECONDS, SECONDS).until(() -> on(loopA, inTransaction::transactionStatus) == TransactionStatus.IN_TRANSACTION);

        release(ALICE, inTransaction, true);

        awaitClosed(inTransaction);
        assertThat(stats()).isEqualTo(new PoolStats(0, 0, 0, 0));
    }

    @Test
    void idleConnectionClosedByTheServerLeavesThePoolAndFreesItsSlot() throws Exception {
        pools(1);
        BackendConnection first = acquired(loopA, ALICE);
        release(ALICE, first, true);

        replica.hangUp(first);

        await().atMost(PATIENCE_SECONDS, SECONDS).until(() -> stats().idle() == 0);
        BackendConnection next = acquired(loopA, ALICE);
        assertThat(next).isNotSameAs(first);
        assertThat(opener.opened()).isEqualTo(2);
    }

    @Test
    void noticeToAnIdleConnectionIsDroppedAndTheConnectionStaysPooled() throws Exception {
        pools(1);
        BackendConnection first = acquired(loopA, ALICE);
        release(ALICE, first, true);

        replica.send(first, NoticeResponse.of("NOTICE", "00000", "checkpoint starting"));
        on(loopA, () -> null); // the notice was read on the loop before this task ran

        assertThat(acquired(loopA, ALICE)).isSameAs(first);
    }

    @Test
    void retireClosesIdleConnectionsOnEveryLoopAndLentOnesWhenReleased() throws Exception {
        pools(3);
        BackendConnection idleOnA = acquired(loopA, ALICE);
        BackendConnection idleOnB = acquired(loopB, ALICE);
        BackendConnection lent = acquired(loopA, BOB);
        release(ALICE, idleOnA, true);
        release(ALICE, idleOnB, true);

        pools.retire(REPLICA.name());

        awaitClosed(idleOnA);
        awaitClosed(idleOnB);
        assertThat(lent.channel().isOpen()).isTrue();
        release(BOB, lent, true);
        awaitClosed(lent);
        assertThat(stats()).isEqualTo(new PoolStats(0, 0, 0, 0));
        assertThat(acquired(loopA, ALICE)).as("the server may come back").isNotIn(idleOnA, idleOnB, lent);
    }

    @Test
    void retireFailsClientsQueuedForTheServer() throws Exception {
        pools(1);
        acquired(loopA, ALICE);
        CompletableFuture<BackendConnection> queued = acquire(loopB, ALICE);

        pools.retire(REPLICA.name());

        assertThatThrownBy(() -> queued.get(PATIENCE_SECONDS, SECONDS)).cause().isInstanceOf(BackendStartupException.class);
        assertThat(stats().waiting()).isZero();
    }

    @Test
    void idleConnectionOfAnotherUserOnTheSameLoopIsClosedToMakeRoom() throws Exception {
        pools(1);
        BackendConnection alices = acquired(loopA, ALICE);
        release(ALICE, alices, true);

        BackendConnection bobs = acquired(loopA, BOB);

        assertThat(bobs).isNotSameAs(alices);
        assertThat(alices.channel().isOpen()).isFalse();
        assertThat(opener.peak()).isEqualTo(1);
        assertThat(stats()).isEqualTo(new PoolStats(1, 0, 0, 0));
    }

    @Test
    void idleConnectionOnAnotherLoopIsClosedToMakeRoom() throws Exception {
        pools(1);
        BackendConnection alicesOnA = acquired(loopA, ALICE);
        release(ALICE, alicesOnA, true);

        BackendConnection bobsOnB = acquired(loopB, BOB);

        assertThat(bobsOnB.channel().eventLoop()).isSameAs(loopB);
        assertThat(alicesOnA.channel().isOpen()).isFalse();
        assertThat(opener.peak()).isEqualTo(1);
        assertThat(stats()).isEqualTo(new PoolStats(1, 0, 0, 0));
    }

    @Test
    void closeFailsQueuedClientsAndLaterAcquires() throws Exception {
        pools(1);
        BackendConnection lent = acquired(loopA, ALICE);
        CompletableFuture<BackendConnection> queued = acquire(loopB, ALICE);

        pools.close();

        assertThatThrownBy(() -> queued.get(PATIENCE_SECONDS, SECONDS)).cause().isInstanceOf(BackendStartupException.class)
                .hasMessage("pgsplit: the connection pools are closed (pgsplit is shutting down)");
        assertThatThrownBy(() -> acquire(loopA, ALICE).get(PATIENCE_SECONDS, SECONDS)).cause().isInstanceOf(BackendStartupException.class);
        release(ALICE, lent, true);
        awaitClosed(lent);
    }

    @Test
    void closeClosesIdleConnectionsOnEveryLoop() throws Exception {
        pools(2);
        BackendConnection onA = acquired(loopA, ALICE);
        BackendConnection onB = acquired(loopB, BOB);
        release(ALICE, onA, true);
        release(BOB, onB, true);

        pools.close();

        awaitClosed(onA);
        awaitClosed(onB);
        assertThat(stats()).isEqualTo(new PoolStats(0, 0, 0, 0));
    }

    @Test
    void raisingTheLimitServesQueuedClientsAtOnce() throws Exception {
        pools(1);
        acquired(loopA, ALICE);
        CompletableFuture<BackendConnection> queued = acquire(loopB, ALICE);

        pools.reconfigure(new PoolSettings("pool.replica_max_per_server", 2, LONG_WAIT));

        assertThat(queued.get(PATIENCE_SECONDS, SECONDS).channel().eventLoop()).isSameAs(loopB);
        assertThat(stats()).isEqualTo(new PoolStats(2, 0, 0, 0));
    }

    @Test
    void loweringTheLimitClosesConnectionsAsTheyReturn() throws Exception {
        pools(2);
        BackendConnection first = acquired(loopA, ALICE);
        BackendConnection second = acquired(loopA, ALICE);

        pools.reconfigure(new PoolSettings("pool.replica_max_per_server", 1, LONG_WAIT));
        release(ALICE, first, true);
        release(ALICE, second, true);

        awaitClosed(first);
        assertThat(second.channel().isOpen()).isTrue();
        assertThat(stats()).isEqualTo(new PoolStats(0, 1, 0, 0));
    }

    @Test
    void cancelledClientLeavesTheQueue() throws Exception {
        pools(1);
        BackendConnection first = acquired(loopA, ALICE);
        CompletableFuture<BackendConnection> queued = acquire(loopA, ALICE);

        on(loopA, () -> queued.cancel(false));
        await().atMost(PATIENCE_SECONDS, SECONDS).until(() -> stats().waiting() == 0);
        release(ALICE, first, true);

        assertThat(stats()).isEqualTo(new PoolStats(0, 1, 0, 0));
    }

    @Test
    void failedOpenReachesTheClientAndFreesTheSlot() throws Exception {
        BackendStartupException refused = new BackendStartupException("connection refused", (Throwable) null);
        AtomicBoolean failNext = new AtomicBoolean(true);
        pools(1, LONG_WAIT, (loop, key) -> failNext.getAndSet(false) ? CompletableFuture.failedFuture(refused) : opener.open(loop, key));

        assertThatThrownBy(() -> acquire(loopA, ALICE).get(PATIENCE_SECONDS, SECONDS)).cause().isSameAs(refused);

        assertThat(acquired(loopA, ALICE)).isNotNull();
    }

    @Test
    void releasingAConnectionTwiceIsRefused() throws Exception {
        pools(1);
        BackendConnection first = acquired(loopA, ALICE);
        release(ALICE, first, true);

        assertThatThrownBy(() -> release(ALICE, first, true)).cause().isInstanceOf(IllegalStateException.class);
        assertThat(stats()).isEqualTo(new PoolStats(0, 1, 0, 0));
    }
}
