package io.pgsplit.proxy.session;

import io.netty.channel.EventLoop;
import io.pgsplit.health.Role;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.proxy.ProxyContext;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.backend.BackendListener;
import io.pgsplit.proxy.pool.PoolKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The server connections of one client session: its own connection to the primary (session mode:
 * opened with the client's startup parameters, kept for the session's life), and at most one
 * replica connection borrowed from the pools for one group or one read-only transaction.
 *
 * <p>Every borrowed connection goes back to its pool exactly once: clean when it is idle, closed
 * (and so rolled back by the server) when the client left it mid-transaction or mid-group. The
 * connection metrics count the session's own connections here; pooled ones are the pools' to count.
 */
final class ServerConnections {
    private final ProxyContext context;
    private final EventLoop loop;
    private final BackendListener listener;
    private final String user;
    private final String database;
    private final Map<String, String> startupParameters;

    private final Map<String, PoolKey> poolKeys = new HashMap<>(4);

    private BackendConnection owned;
    private BackendConnection lent;
    private PoolKey lentKey;

    ServerConnections(ProxyContext context, EventLoop loop, BackendListener listener, String user,
                      Map<String, String> startupParameters) {
        this.context = context;
        this.loop = loop;
        this.listener = listener;
        this.user = user;
        this.database = startupParameters.getOrDefault("database", user);
        this.startupParameters = startupParameters;
    }

    /** The connection to use for {@code server} in {@code role} now, or null when one must be opened first. */
    BackendConnection ready(ServerAddress server, Role role) {
        if (role == Role.PRIMARY) {
            return owned != null && owned.isActive() && owned.serverName().equals(server.name()) ? owned : null;
        }
        return lent != null && lent.isActive() && lent.serverName().equals(server.name()) ? lent : null;
    }

    /**
     * Opens the primary connection, or borrows a replica connection; completes on the session's
     * loop with the connection attached to the session, or exceptionally.
     */
    CompletableFuture<BackendConnection> open(ServerAddress server, Role role) {
        if (role == Role.PRIMARY) {
            return context.connector()
                    .connect(loop, server.name(), server.host(), server.port(), startupParameters, user,
                            context.serverLogin(user))
                    .thenApply(this::own);
        }
        PoolKey key = poolKey(server);
        return context.pools().acquire(loop, key).thenApply(connection -> borrow(key, connection));
    }

    /** An idle pooled connection to the replica {@code server}, lent now, or null when one must be opened or waited for. */
    BackendConnection borrowIdle(ServerAddress server) {
        PoolKey key = poolKey(server);
        BackendConnection idle = context.pools().tryAcquireIdle(loop, key);
        return idle == null ? null : borrow(key, idle);
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

    private BackendConnection own(BackendConnection connection) {
        connection.attach(listener);
        if (owned != null) {
            owned.terminate(); // the primary moved: the old one's connection is of no further use
        }
        owned = connection;
        context.metrics().serverConnectionOpened(connection.serverName());
        return connection;
    }

    private BackendConnection borrow(PoolKey key, BackendConnection connection) {
        connection.attach(listener);
        returnLent(); // one borrowed connection at a time
        lent = connection;
        lentKey = key;
        return connection;
    }

    /** The session's own primary connection, or null while it has none. */
    BackendConnection owned() {
        return owned;
    }

    /** True for the session's own primary connection, false for a borrowed one. */
    boolean isOwned(BackendConnection connection) {
        return connection == owned;
    }

    /** The borrowed connection finished its group or transaction: back to the pool. */
    void returnLent() {
        if (lent == null) {
            return;
        }
        BackendConnection returning = lent;
        lent = null;
        context.pools().release(lentKey, returning, returning.isActive() && returning.isIdle());
    }

    /** The server closed {@code connection}: forget it (a borrowed one still goes back, to free its slot). */
    void lost(BackendConnection connection) {
        if (connection == owned) {
            owned = null;
            context.metrics().serverConnectionClosed(connection.serverName(), connection.isBusy());
        } else if (connection == lent) {
            lent = null;
            context.pools().release(lentKey, connection, false);
        }
    }

    /** Closes the primary connection (Terminate) unless it is the one still working. */
    void dropOwned(String reason) {
        if (owned != null) {
            BackendConnection dropping = owned;
            owned = null;
            context.metrics().serverConnectionClosed(dropping.serverName(), false);
            dropping.abort(reason);
        }
    }

    List<BackendConnection> all() {
        List<BackendConnection> all = new ArrayList<>(2);
        if (owned != null) {
            all.add(owned);
        }
        if (lent != null) {
            all.add(lent);
        }
        return all;
    }

    /** The session ends: Terminate the primary connection, give back the borrowed one (closed if it is not clean). */
    void closeAll() {
        if (owned != null) {
            context.metrics().serverConnectionClosed(owned.serverName(), owned.isBusy());
            owned.terminate();
            owned = null;
        }
        returnLent();
    }
}
