package io.pgsplit.proxy.pool;

/**
 * One server's pool at a glance: connections lent to clients, connections parked idle, connections
 * being opened (a slot taken, the server not yet ready), clients queued.
 */
public record PoolStats(int lent, int idle, int opening, int waiting) {

    static final PoolStats EMPTY = new PoolStats(0, 0, 0, 0);
}
