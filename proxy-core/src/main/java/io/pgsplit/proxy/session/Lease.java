package io.pgsplit.proxy.session;

import io.pgsplit.health.Role;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import io.pgsplit.proxy.pool.PoolKey;

/**
 * A server connection as one session holds it: for which role, and for how long. Role and lifetime
 * are separate questions: "is this the primary?" decides fences and failover, "does it go back to a
 * pool when idle?" decides lending. Transaction pooling of the primary is a pooled lease in the
 * primary role.
 */
final class Lease {

    enum Lifetime {
        /** Opened for this session with the client's startup parameters; kept until the session ends. */
        SESSION,
        /** Borrowed from a pool for one group or one transaction; given back when idle (unless pinned). */
        POOLED
    }

    private final BackendConnection connection;
    private final Role role;
    private final Lifetime lifetime;
    private final PoolKey poolKey;
    /** Whether the connection counts as running a request in {@code pgsplit_server_connections}. */
    private boolean countedActive;
    /** A pooled lease the session keeps between requests because it holds state that cannot be shared. */
    private boolean pinned;
    /** Done with, but the proxy's own query behind the client's last group is still being answered. */
    private boolean releaseWhenIdle;

    private Lease(BackendConnection connection, Role role, Lifetime lifetime, PoolKey poolKey) {
        this.connection = connection;
        this.role = role;
        this.lifetime = lifetime;
        this.poolKey = poolKey;
    }

    static Lease own(BackendConnection connection, Role role) {
        return new Lease(connection, role, Lifetime.SESSION, null);
    }

    static Lease pooled(BackendConnection connection, Role role, PoolKey key) {
        return new Lease(connection, role, Lifetime.POOLED, key);
    }

    BackendConnection connection() {
        return connection;
    }

    Role role() {
        return role;
    }

    boolean isPrimary() {
        return role == Role.PRIMARY;
    }

    Lifetime lifetime() {
        return lifetime;
    }

    PoolKey poolKey() {
        return poolKey;
    }

    String serverName() {
        return connection.serverName();
    }

    boolean countedActive() {
        return countedActive;
    }

    void countedActive(boolean active) {
        this.countedActive = active;
    }

    /** Counted as {@code state="pinned"} while a pooled lease is kept for a pin. */
    void pinned(boolean now, ProxyMetrics metrics) {
        if (now != pinned) {
            pinned = now;
            metrics.serverConnectionPinned(serverName(), now);
        }
    }

    boolean releaseWhenIdle() {
        return releaseWhenIdle;
    }

    void releaseWhenIdle(boolean release) {
        this.releaseWhenIdle = release;
    }

    @Override
    public String toString() {
        return role + " " + connection + " (" + lifetime + ")";
    }
}
