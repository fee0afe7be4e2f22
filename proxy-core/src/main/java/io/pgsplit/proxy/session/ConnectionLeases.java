package io.pgsplit.proxy.session;

import io.pgsplit.health.Role;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.health.ServerHealth;
import io.pgsplit.health.Topology;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.backend.BackendListener;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import io.pgsplit.proxy.pool.PoolKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Server lending for one session: which connections it holds now, and for how long. In session mode
 * that is its own connection to the primary, kept for the session's life, and at most one pooled
 * replica connection borrowed for one group or one read-only transaction.
 *
 * <p>Every borrowed connection goes back exactly once: clean when it is idle, closed (and so rolled
 * back by the server) when the client left it mid-transaction or mid-group. The session's own
 * connections are counted in {@code pgsplit_server_connections} here; pooled ones are the pools'.
 * Transaction pooling of the primary changes this class alone: the primary becomes a pooled lease
 * in the primary role, returned when idle like a replica's.
 */
final class ConnectionLeases {
    private final ConnectionSource source;
    private final BackendListener listener;
    private final ProxyMetrics metrics;
    private final String user;
    private final String database;
    private final Map<String, PoolKey> poolKeys = new HashMap<>(4);

    private Lease own;
    private Lease borrowed;

    ConnectionLeases(ConnectionSource source, BackendListener listener, ProxyMetrics metrics, String user, String database) {
        this.source = source;
        this.listener = listener;
        this.metrics = metrics;
        this.user = user;
        this.database = database;
    }

    /** The lease to use for {@code server} in {@code role} now, or null when one must be opened or borrowed first. */
    Lease ready(ServerAddress server, Role role) {
        Lease candidate = role == Role.PRIMARY ? own : borrowed;
        return candidate != null && candidate.connection().isActive() && candidate.serverName().equals(server.name())
                ? candidate : null;
    }

    /** An idle pooled replica connection lent at once, or null when one must be opened or waited for. */
    Lease borrowIdle(ServerAddress server) {
        PoolKey key = poolKey(server);
        BackendConnection idle = source.borrowIdle(key);
        return idle == null ? null : borrow(key, idle);
    }

    /** Opens the primary connection, or borrows a replica one; completes on the session's loop, attached to it. */
    CompletableFuture<Lease> open(ServerAddress server, Role role) {
        if (role == Role.PRIMARY) {
            return source.openOwn(server).thenApply(this::own);
        }
        PoolKey key = poolKey(server);
        return source.borrow(key).thenApply(connection -> borrow(key, connection));
    }

    /** One key per replica address, so the pools' lookups do not allocate one per read. */
    private PoolKey poolKey(ServerAddress server) {
        PoolKey key = poolKeys.get(server.name());
        if (key == null || !key.server().equals(server)) {
            key = new PoolKey(server, user, database);
            poolKeys.put(server.name(), key);
        }
        return key;
    }

    private Lease own(BackendConnection connection) {
        connection.attach(listener);
        Lease previous = own;
        own = Lease.own(connection, Role.PRIMARY);
        if (previous != null) {
            metrics.serverConnectionClosed(previous.serverName(), previous.countedActive());
            previous.connection().terminate(); // the primary moved: the old one's connection is of no further use
        }
        metrics.serverConnectionOpened(connection.serverName());
        return own;
    }

    private Lease borrow(PoolKey key, BackendConnection connection) {
        connection.attach(listener);
        giveBackBorrowed(); // one borrowed connection at a time
        borrowed = Lease.pooled(connection, Role.REPLICA, key);
        return borrowed;
    }

    /** The session's own primary connection, or null while it has none. */
    Lease own() {
        return own;
    }

    /** The lease holding {@code connection}, or null when the session no longer holds it. */
    Lease leaseOf(BackendConnection connection) {
        if (own != null && own.connection() == connection) {
            return own;
        }
        return borrowed != null && borrowed.connection() == connection ? borrowed : null;
    }

    /** The session is done with this lease for now: a pooled one goes back, the session's own is kept. */
    void release(Lease lease) {
        if (lease == borrowed) {
            giveBackBorrowed();
        }
    }

    private void giveBackBorrowed() {
        if (borrowed == null) {
            return;
        }
        Lease returning = borrowed;
        borrowed = null;
        BackendConnection connection = returning.connection();
        source.giveBack(returning.poolKey(), connection, connection.isActive() && connection.isIdle());
    }

    /** A request went to an idle connection of the lease. */
    void activityStarted(Lease lease) {
        if (lease.lifetime() == Lease.Lifetime.SESSION && !lease.countedActive()) {
            lease.countedActive(true);
            metrics.serverConnectionBusy(lease.serverName());
        }
    }

    /** The lease's connection answered everything the client was owed. */
    void activityEnded(Lease lease) {
        if (lease.countedActive()) {
            lease.countedActive(false);
            metrics.serverConnectionIdle(lease.serverName());
        }
    }

    /** The server closed {@code connection}: forget it (a borrowed one still goes back, to free its slot). */
    Lease lost(BackendConnection connection) {
        Lease lost = leaseOf(connection);
        if (lost == own && own != null) {
            own = null;
            metrics.serverConnectionClosed(connection.serverName(), lost.countedActive());
        } else if (lost != null) {
            borrowed = null;
            source.giveBack(lost.poolKey(), connection, false);
        }
        return lost;
    }

    /** Closes the session's own connection at once, saying why. */
    void dropOwn(String reason) {
        if (own != null) {
            Lease dropping = own;
            own = null;
            metrics.serverConnectionClosed(dropping.serverName(), dropping.countedActive());
            dropping.connection().abort(reason);
        }
    }

    /** Backpressure: true while a held connection cannot take more bytes. */
    boolean holdsBackClient() {
        return own != null && own.connection().holdsBackClient()
                || borrowed != null && borrowed.connection().holdsBackClient();
    }

    /** The client stopped (or started) taking bytes: so do the servers' replies. */
    void setAutoRead(boolean autoRead) {
        if (own != null) {
            own.connection().setAutoRead(autoRead);
        }
        if (borrowed != null) {
            borrowed.connection().setAutoRead(autoRead);
        }
    }

    /**
     * Follows the cluster: a connection to a server marked down is aborted at once; in a split brain an
     * open transaction on a self-declared primary is cut, so no write goes anywhere; the session's own
     * connection is dropped once its server is no longer the primary or was removed from the
     * configuration, unless it is the one still working.
     */
    void follow(Topology topology, Lease working, boolean inTransaction) {
        Lease first = own;
        Lease second = borrowed;
        follow(topology, first, working, inTransaction);
        follow(topology, second, working, inTransaction);
    }

    private void follow(Topology topology, Lease lease, Lease working, boolean inTransaction) {
        if (lease == null) {
            return;
        }
        Optional<ServerHealth> server = topology.server(lease.serverName());
        boolean isWorking = lease == working;
        boolean isPrimaryNow = server.isPresent() && server.get().isPrimary();
        if (server.isPresent() && !server.get().up()) {
            lease.connection().abort("server " + lease.serverName() + " is down (health checks failed)");
        } else if (isWorking && topology.splitBrain() && isPrimaryNow && inTransaction) {
            lease.connection().abort("more than one server claims to be the primary (split brain); the transaction was cut");
        } else if (!isWorking && lease == own && !isPrimaryNow) {
            dropOwn("server " + lease.serverName() + " is no longer the primary");
        }
    }

    /** The session ends: Terminate its own connection, give back the borrowed one (closed if it is not clean). */
    void closeAll() {
        if (own != null) {
            Lease closing = own;
            own = null; // first: a channel may report its close at once, and it must not be counted twice
            metrics.serverConnectionClosed(closing.serverName(), closing.countedActive());
            closing.connection().terminate();
        }
        giveBackBorrowed();
    }
}
