package io.pgsplit.proxy.pool;

import io.pgsplit.proxy.backend.BackendConnection;

/**
 * A connection parked in the pool; {@code generation} tells whether its server was retired since it opened, and
 * {@code parkedAt} (the pools' nanosecond clock) whether it rests or is only between two queries.
 */
record IdleConnection(PoolKey key, BackendConnection connection, int generation, long parkedAt) {
}
