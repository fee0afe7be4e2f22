package io.pgsplit.proxy.pool;

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
import io.pgsplit.proxy.backend.BackendConnection;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A session keeps its {@link KeyedPool}: it must stay the right pool however the server comes and goes. */
class KeyedPoolTest {
    private static final ServerAddress REPLICA = new ServerAddress("replica1", "127.0.0.1", 5433);
    private static final PoolKey ALICE = new PoolKey(REPLICA, "alice", "app");
    private static final int PATIENCE_SECONDS = 30;

    private final EventLoopGroup serverLoop = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
    private final EventLoopGroup clientLoops = new MultiThreadIoEventLoopGroup(2, LocalIoHandler.newFactory());
    private final EventLoop loopA;
    private final EventLoop loopB;
    private final FakeReplica replica = new FakeReplica(serverLoop);
    private final FakeOpener opener = new FakeOpener(replica);
    private final ServerPools pools = new ServerPools(
            new PoolSettings("pool.replica_max_per_server", 5, Duration.ofSeconds(60)), opener);

    KeyedPoolTest() {
        Iterator<EventExecutor> loops = clientLoops.iterator();
        loopA = (EventLoop) loops.next();
        loopB = (EventLoop) loops.next();
    }

    @AfterEach
    void shutDown() {
        pools.close();
        opener.closeAll();
        await().atMost(PATIENCE_SECONDS, SECONDS).until(() -> replica.connectionCount() == 0);
        clientLoops.shutdownGracefully(0, PATIENCE_SECONDS, SECONDS).syncUninterruptibly();
        replica.close();
        serverLoop.shutdownGracefully(0, PATIENCE_SECONDS, SECONDS).syncUninterruptibly();
    }

    private static <T> T on(EventLoop loop, Callable<T> task) throws Exception {
        return loop.submit(task).get(PATIENCE_SECONDS, SECONDS);
    }

    private BackendConnection acquired(KeyedPool keyed) throws Exception {
        return on(loopA, keyed::acquire).get(PATIENCE_SECONDS, SECONDS);
    }

    private void release(KeyedPool keyed, BackendConnection connection) throws Exception {
        on(loopA, () -> {
            keyed.release(connection, true);
            return null;
        });
    }

    private PoolStats stats() {
        return pools.stats(REPLICA.name());
    }

    @Test
    void lendsAndTakesBackWhatThePoolsOwnMethodsSee() throws Exception {
        KeyedPool keyed = on(loopA, () -> pools.keyed(loopA, ALICE));
        BackendConnection first = acquired(keyed);
        release(keyed, first);

        assertThat(stats()).isEqualTo(new PoolStats(0, 1, 0, 0));
        assertThat(on(loopA, () -> pools.tryAcquireIdle(loopA, ALICE))).isSameAs(first);
        on(loopA, () -> {
            pools.release(ALICE, first, true);
            return null;
        });
        assertThat(on(loopA, keyed::tryAcquireIdle)).isSameAs(first);
        assertThat(opener.opened()).isEqualTo(1);
        release(keyed, first);
    }

    @Test
    void keptAcrossARetireItLendsOnlyConnectionsOfTheServerAsItIsNow() throws Exception {
        KeyedPool keyed = on(loopA, () -> pools.keyed(loopA, ALICE));
        BackendConnection before = acquired(keyed);
        BackendConnection lentDuring = acquired(keyed);
        release(keyed, before);

        pools.retire(REPLICA.name()); // removed by a reload, then added back
        await().atMost(PATIENCE_SECONDS, SECONDS).until(() -> !before.channel().isOpen());

        assertThat(on(loopA, () -> Optional.ofNullable(keyed.tryAcquireIdle()))).isEmpty();
        release(keyed, lentDuring);
        await().atMost(PATIENCE_SECONDS, SECONDS).until(() -> !lentDuring.channel().isOpen());
        BackendConnection after = acquired(keyed);
        assertThat(after).isNotIn(before, lentDuring);
        release(keyed, after);
        assertThat(stats()).isEqualTo(new PoolStats(0, 1, 0, 0));
        assertThat(on(loopA, () -> pools.tryAcquireIdle(loopA, ALICE))).isSameAs(after);
        release(keyed, after);
    }

    @Test
    void refusesAConnectionLentOnAnotherLoop() throws Exception {
        KeyedPool onA = on(loopA, () -> pools.keyed(loopA, ALICE));
        BackendConnection onB = on(loopB, () -> pools.acquire(loopB, ALICE)).get(PATIENCE_SECONDS, SECONDS);

        assertThatThrownBy(() -> release(onA, onB)).hasRootCauseInstanceOf(IllegalStateException.class);
        on(loopB, () -> {
            pools.release(ALICE, onB, true);
            return null;
        });
    }
}
