package io.pgsplit.proxy.pool;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.backend.TestBackendConnections;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** Opens real connections to a {@link FakeReplica} and counts them, including the most ever open at once. */
final class FakeOpener implements ConnectionOpener {
    private final FakeReplica replica;
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final Queue<Channel> channels = new ConcurrentLinkedQueue<>();

    FakeOpener(FakeReplica replica) {
        this.replica = replica;
    }

    @Override
    public CompletableFuture<BackendConnection> open(EventLoop loop, PoolKey key) {
        opened.incrementAndGet();
        return TestBackendConnections.connect(loop, replica.address, key.server().name(), key.user()).thenApply(connection -> {
            peak.accumulateAndGet(open.incrementAndGet(), Math::max);
            connection.channel().closeFuture().addListener(closed -> open.decrementAndGet());
            channels.add(connection.channel());
            return connection;
        });
    }

    /** Closes what tests left open, so no channel outlives its event loop. */
    void closeAll() {
        channels.forEach(channel -> channel.close().syncUninterruptibly());
    }

    int opened() {
        return opened.get();
    }

    int open() {
        return open.get();
    }

    /** The most connections open at the same moment, as their channels saw it. */
    int peak() {
        return peak.get();
    }
}
