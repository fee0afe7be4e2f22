package io.pgsplit.proxy.session;

import io.pgsplit.health.Role;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.health.ServerHealth;
import io.pgsplit.health.Topology;
import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.backend.BackendListener;
import io.pgsplit.proxy.config.PoolMode;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import io.pgsplit.proxy.pool.PoolKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Server lending for one session: which connections it holds now, for which role, and for how long;
 * at most one per role. The replica connection is always borrowed from the pools, for one group or
 * one read-only transaction. The primary connection, in session mode, is the session's own: opened
 * with the client's startup parameters at its first statement that needs the primary, and kept until
 * the session ends; in transaction mode it is borrowed like a replica's, for one transaction (or one
 * group outside a transaction), and kept longer only while the session holds state that cannot be
 * shared (a pin).
 *
 * <p>Every borrowed connection goes back exactly once: clean when it is idle (nothing owed, not even
 * the WAL-position query sent behind a commit, and no transaction), closed (and so rolled back by the
 * server) when the client left it mid-transaction or mid-group. The session's own connections are
 * counted in {@code pgsplit_server_connections} here, as are pooled primaries kept for a pin; the
 * rest of the pooled ones are the pools' to count.
 */
final class ConnectionLeases {
    private final ConnectionSource source;
    private final BackendListener listener;
    private final ProxyMetrics metrics;
    private final PoolMode primaryMode;
    private final String user;
    private final String database;
    private final Map<String, PoolKey> poolKeys = new HashMap<>(4);

    private Lease primary;
    private Lease replica;

    ConnectionLeases(ConnectionSource source, BackendListener listener, ProxyMetrics metrics, PoolMode primaryMode,
                     String user, String database) {
        this.source = source;
        this.listener = listener;
        this.metrics = metrics;
        this.primaryMode = primaryMode;
        this.user = user;
        this.database = database;
    }

    /** The lease to use for {@code server} in {@code role} now, or null when one must be opened or borrowed first. */
    Lease ready(ServerAddress server, Role role) {
        Lease candidate = role == Role.PRIMARY ? primary : replica;
        return candidate != null && candidate.connection().isActive() && candidate.serverName().equals(server.name())
                ? candidate : null;
    }

    /** Whether connections of {@code role} come from the pools (else the session opens its own). */
    boolean pooled(Role role) {
        return role != Role.PRIMARY || primaryMode == PoolMode.TRANSACTION;
    }

    /** An idle pooled connection lent at once, or null when one must be opened or waited for. */
    Lease borrowIdle(ServerAddress server, Role role) {
        if (!pooled(role)) {
            return null;
        }
        PoolKey key = poolKey(server);
        BackendConnection idle = source.borrowIdle(key, role);
        return idle == null ? null : borrowed(key, role, idle);
    }

    /** Opens the session's own primary connection, or borrows one; completes on the session's loop, attached to it. */
    CompletableFuture<Lease> open(ServerAddress server, Role role) {
        if (!pooled(role)) {
            metrics.serverConnectionOpening(server.name(), true);
            return source.openOwn(server)
                    .whenComplete((connection, error) -> metrics.serverConnectionOpening(server.name(), false))
                    .thenApply(this::own);
        }
        PoolKey key = poolKey(server);
        return source.borrow(key, role).thenApply(connection -> borrowed(key, role, connection));
    }

    /** One key per server address, so the pools' lookups do not allocate one per request. */
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
        Lease previous = primary;
        primary = Lease.own(connection, Role.PRIMARY);
        metrics.serverConnectionOpened(connection.serverName());
        if (previous != null) {
            end(previous, false); // the primary moved: the old one's connection is of no further use
        }
        return primary;
    }

    private Lease borrowed(PoolKey key, Role role, BackendConnection connection) {
        connection.attach(listener);
        Lease lease = Lease.pooled(connection, role, key);
        Lease previous = role == Role.PRIMARY ? primary : replica;
        if (role == Role.PRIMARY) {
            primary = lease;
        } else {
            replica = lease;
        }
        if (previous != null) {
            end(previous, false); // one connection per role at a time
        }
        return lease;
    }

    /** The lease of the primary connection, or null while the session holds none. */
    Lease primary() {
        return primary;
    }

    /** The lease holding {@code connection}, or null when the session no longer holds it. */
    Lease leaseOf(BackendConnection connection) {
        if (primary != null && primary.connection() == connection) {
            return primary;
        }
        return replica != null && replica.connection() == connection ? replica : null;
    }

    /**
     * The session owes nothing on this lease now. A pooled one goes back when its connection is idle
     * (at once, or once the query the proxy sent behind the client's last group is answered: see
     * {@link #connectionIdle}), unless {@code pinned}: then the session keeps it. The session's own
     * is kept.
     */
    void release(Lease lease, boolean pinned) {
        if (lease.lifetime() != Lease.Lifetime.POOLED || lease != primary && lease != replica) {
            return;
        }
        lease.pinned(pinned, metrics);
        if (pinned) {
            return;
        }
        BackendConnection connection = lease.connection();
        if (connection.hasUnseenState() && connection.isActive()) {
            reset(lease); // what this client did that pgsplit could not see must not reach the next one
        } else if (connection.isIdle() || !connection.isActive()) {
            end(lease, true);
        } else {
            lease.releaseWhenIdle(true);
        }
    }

    /** RESET ALL and DISCARD ALL, counted; the lease goes back once they are answered ({@link #injectedQueryAnswered}). */
    private void reset(Lease lease) {
        BackendConnection connection = lease.connection();
        metrics.connectionReset(connection.unseenStateReason());
        connection.discardSessionState();
        connection.flush();
        lease.releaseWhenIdle(true);
    }

    /**
     * A query the proxy injected was answered on {@code connection}: a lease that waited for that
     * goes back now, closed if the query failed (a reset that did not happen leaves the state unknown).
     */
    void injectedQueryAnswered(BackendConnection connection, boolean failed) {
        Lease lease = leaseOf(connection);
        if (failed && lease != null) {
            connection.markUnseenState("failed_reset");
        }
        if (lease != null && lease.releaseWhenIdle() && connection.isIdle()) {
            end(lease, !failed);
        }
    }

    /** The session starts new work on the lease: it is not going back after all. */
    void inUse(Lease lease) {
        lease.releaseWhenIdle(false);
    }

    /** Gives a lease up: a pooled one back to its pool (closed unless {@code clean} and idle), an own one closed. */
    private void end(Lease lease, boolean clean) {
        if (lease == primary) {
            primary = null;
        } else if (lease == replica) {
            replica = null;
        }
        lease.pinned(false, metrics);
        BackendConnection connection = lease.connection();
        if (lease.lifetime() == Lease.Lifetime.POOLED) {
            boolean reusable = clean && connection.isActive() && connection.isIdle() && !connection.hasUnseenState();
            source.giveBack(lease.poolKey(), lease.role(), connection, reusable);
        } else {
            metrics.serverConnectionClosed(lease.serverName(), lease.countedActive());
            connection.terminate();
        }
    }

    /** A request went to an idle connection of the lease. */
    void activityStarted(Lease lease) {
        lease.releaseWhenIdle(false);
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
        if (lost == null) {
            return null;
        }
        if (lost == primary) {
            primary = null;
        } else {
            replica = null;
        }
        lost.pinned(false, metrics);
        if (lost.lifetime() == Lease.Lifetime.POOLED) {
            source.giveBack(lost.poolKey(), lost.role(), connection, false);
        } else {
            metrics.serverConnectionClosed(connection.serverName(), lost.countedActive());
        }
        return lost;
    }

    /** Closes the primary connection at once, saying why. */
    void dropPrimary(String reason) {
        Lease dropping = primary;
        if (dropping != null) {
            primary = null;
            dropping.pinned(false, metrics);
            if (dropping.lifetime() == Lease.Lifetime.POOLED) {
                source.giveBack(dropping.poolKey(), dropping.role(), dropping.connection(), false);
            } else {
                metrics.serverConnectionClosed(dropping.serverName(), dropping.countedActive());
            }
            dropping.connection().abort(reason);
        }
    }

    /** Backpressure: true while a held connection cannot take more bytes. */
    boolean holdsBackClient() {
        return primary != null && primary.connection().holdsBackClient()
                || replica != null && replica.connection().holdsBackClient();
    }

    /** The client stopped (or started) taking bytes: so do the servers' replies. */
    void setAutoRead(boolean autoRead) {
        if (primary != null) {
            primary.connection().setAutoRead(autoRead);
        }
        if (replica != null) {
            replica.connection().setAutoRead(autoRead);
        }
    }

    /**
     * Follows the cluster: a connection to a server marked down is aborted at once; in a split brain an
     * open transaction on a self-declared primary is cut, so no write goes anywhere; the primary
     * connection is dropped once its server is no longer the primary or was removed from the
     * configuration, unless it is the one still working.
     */
    void follow(Topology topology, Lease working, boolean inTransaction) {
        Lease first = primary;
        Lease second = replica;
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
        } else if (!isWorking && lease == primary && !isPrimaryNow) {
            dropPrimary("server " + lease.serverName() + " is no longer the primary");
        }
    }

    /**
     * The session ends: its own connection says Terminate, borrowed ones go back (closed if they are not clean).
     * A borrowed one that carries state pgsplit did not see, or that the session kept for its state ({@code pinned}:
     * a temporary table, an advisory lock, …), is reset first and goes back once that is answered; so does one
     * still waiting for the answer to a query the proxy sent behind the client's last group.
     */
    void closeAll(boolean pinned) {
        if (primary != null) {
            closeLease(primary, pinned);
        }
        if (replica != null) {
            closeLease(replica, false);
        }
    }

    private void closeLease(Lease lease, boolean pinned) {
        BackendConnection connection = lease.connection();
        boolean pooled = lease.lifetime() == Lease.Lifetime.POOLED;
        if (pooled && pinned) {
            connection.markUnseenState("pinned_session");
        }
        lease.pinned(false, metrics);
        boolean settled = connection.isIdle() || lease.releaseWhenIdle() && !connection.owesClient()
                && connection.transactionStatus() == TransactionStatus.IDLE;
        if (!pooled || !connection.isActive() || !settled) {
            end(lease, true);
            return;
        }
        connection.setAutoRead(true); // the client is gone: nothing may hold back the answers still awaited
        if (connection.hasUnseenState()) {
            reset(lease);
        } else if (!connection.isIdle()) {
            lease.releaseWhenIdle(true);
        } else {
            end(lease, true);
        }
    }
}
