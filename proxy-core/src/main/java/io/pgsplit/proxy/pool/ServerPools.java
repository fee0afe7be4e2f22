package io.pgsplit.proxy.pool;

import io.netty.channel.EventLoop;
import io.pgsplit.proxy.backend.BackendConnection;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Pooled server connections of one role: replica connections, lent to a client for one Sync group or
 * one read-only transaction, or (in transaction mode) primary connections, lent for one transaction;
 * taken back clean either way. The proxy keeps one instance per role.
 *
 * <p>Connections are reused per {@link PoolKey} and per event loop, because a channel serves only
 * sessions of its own loop; the limit ({@code pool.replica_max_per_server} or
 * {@code pool.primary_max_per_server}) counts every connection to a server, whatever its loop, user
 * or database. At the limit a client queues on its loop for up to
 * {@code pool.acquire_timeout}. A slot freed on another loop is never handed over as a channel:
 * that loop closes its connection and hands the slot, still claimed, to the waiting loop, which opens a
 * new one on itself. Since that costs a new server connection, a slot moves only towards a loop that
 * holds none, or from a loop holding more than an even share and two more than the waiting loop, or
 * once a connection has rested 100 ms: loops busy alike keep theirs.
 *
 * <p>Every acquired connection must be released exactly once, even one that has since closed, or
 * its slot stays taken.
 */
public final class ServerPools implements AutoCloseable {
    private final ConnectionOpener opener;
    /** How long a connection has rested is read from this (System.nanoTime outside tests). */
    private final LongSupplier nanoClock;
    /** Never removed (a retired server ends a generation instead): sessions keep {@link KeyedPool}s of them. */
    private final ConcurrentHashMap<String, ServerPool> servers = new ConcurrentHashMap<>();
    private volatile PoolSettings settings;
    private volatile boolean closed;

    public ServerPools(PoolSettings settings, ConnectionOpener opener) {
        this(settings, opener, System::nanoTime);
    }

    /** A test's own clock decides when an idle connection counts as rested, so no scheduling delay can. */
    ServerPools(PoolSettings settings, ConnectionOpener opener, LongSupplier nanoClock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.opener = Objects.requireNonNull(opener, "opener");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /**
     * Call on {@code loop}; completes on {@code loop} with an idle, active connection of that key, or
     * exceptionally: {@link PoolTimeoutException}, the opener's failure, or a
     * {@link io.pgsplit.proxy.backend.BackendStartupException} when the server is retired or the
     * pools close while the client waits. Cancelling the future gives up the client's place in the queue.
     */
    public CompletableFuture<BackendConnection> acquire(EventLoop loop, PoolKey key) {
        requireOn(loop);
        // Registered before closed is read (in LoopPool.acquire), so close() either fails this waiter or is seen here.
        return server(key).on(loop).acquire(key);
    }

    /**
     * Call on {@code loop}: an idle, active connection of that key lent now, or null (then
     * {@link #acquire} opens one or queues). Lets the common case skip a future and a loop turn.
     */
    public BackendConnection tryAcquireIdle(EventLoop loop, PoolKey key) {
        requireOn(loop);
        return server(key).on(loop).tryAcquireIdle(key);
    }

    /**
     * Call on {@code loop}: the pools of {@code key} on {@code loop}, for a session to keep ({@link KeyedPool}), so
     * that its borrowing and giving back skip the lookups of {@link #acquire}, {@link #tryAcquireIdle} and
     * {@link #release}.
     */
    public KeyedPool keyed(EventLoop loop, PoolKey key) {
        requireOn(loop);
        return new KeyedPool(server(key).on(loop), key, loop);
    }

    /**
     * Call on the connection's loop. {@code reusable=false} closes it (the client vanished
     * mid-transaction, or the protocol state is unknown); so does a connection that is not idle
     * (ReadyForQuery 'I' and nothing owed): a connection is never lent to another client dirty.
     */
    public void release(PoolKey key, BackendConnection connection, boolean reusable) {
        EventLoop loop = connection.channel().eventLoop();
        requireOn(loop);
        ServerPool server = servers.get(key.server().name());
        if (server == null) {
            throw new IllegalStateException(connection + " was not lent by these pools");
        }
        server.on(loop).release(key, connection, reusable);
    }

    /** A lower limit applies to new acquires and shrinks the pools as connections return; a higher one serves queued clients now. */
    public void reconfigure(PoolSettings settings) {
        PoolSettings previous = this.settings;
        this.settings = Objects.requireNonNull(settings, "settings");
        if (settings.maxPerServer() > previous.maxPerServer()) {
            servers.values().forEach(ServerPool::wakeAllWaitingLoops);
        }
    }

    /**
     * The server is down or removed: its idle connections close on every loop, clients queued for it
     * fail, and connections lent now are closed when released.
     */
    public void retire(String serverName) {
        ServerPool server = servers.get(serverName);
        if (server != null) {
            server.retire();
        }
    }

    /** Safe from any thread; the three counts are read one after the other, so they are approximate. */
    public PoolStats stats(String serverName) {
        ServerPool server = servers.get(serverName);
        return server == null ? PoolStats.EMPTY : server.stats();
    }

    /** Connections of {@code serverName} lent now (each serves one group or transaction); allocates nothing. */
    public int lent(String serverName) {
        ServerPool server = servers.get(serverName);
        return server == null ? 0 : server.lent();
    }

    /** Closes every idle connection and fails every queued client; connections lent now close when released. */
    @Override
    public void close() {
        closed = true;
        servers.values().forEach(ServerPool::close);
    }

    PoolSettings settings() {
        return settings;
    }

    ConnectionOpener opener() {
        return opener;
    }

    long nanoTime() {
        return nanoClock.getAsLong();
    }

    boolean isClosed() {
        return closed;
    }

    private ServerPool server(PoolKey key) {
        ServerPool pool = servers.get(key.server().name()); // no capturing lambda once the server has its pool
        return pool != null ? pool : servers.computeIfAbsent(key.server().name(), name -> new ServerPool(name, this));
    }

    static void requireOn(EventLoop loop) {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("the connection pools must be used on the connection's event loop");
        }
    }
}
