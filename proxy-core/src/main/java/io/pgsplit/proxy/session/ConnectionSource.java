package io.pgsplit.proxy.session;

import io.pgsplit.health.Role;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.pool.PoolKey;
import java.util.concurrent.CompletableFuture;

/**
 * Where a session's server connections come from: its own connection, opened with the client's
 * startup parameters, or one lent by the pools. Futures complete on the session's event loop. The
 * production source is {@link PooledConnectionSource}; tests give the session connections of their own.
 */
interface ConnectionSource {

    /** A connection for this session alone (the session's primary connection in session mode). */
    CompletableFuture<BackendConnection> openOwn(ServerAddress server);

    /** An idle pooled connection of {@code role}'s pools lent now, or null when one must be opened or waited for. */
    BackendConnection borrowIdle(PoolKey key, Role role);

    /** A pooled connection, opened or waited for; fails with a PoolTimeoutException when the pool stays full. */
    CompletableFuture<BackendConnection> borrow(PoolKey key, Role role);

    /** Every borrowed connection goes back exactly once, to the pools it came from; {@code reusable} false closes it. */
    void giveBack(PoolKey key, Role role, BackendConnection connection, boolean reusable);
}
