package io.pgsplit.proxy.metrics;

/**
 * One pool as PgBouncer's SHOW POOLS shows it: connections open or opening ({@code size}), lent to
 * clients ({@code inUse}, of which {@code pinned} are kept by pinned clients), parked {@code idle},
 * being opened ({@code opening}), and clients {@code waiting} for one.
 */
public record PoolStatus(String role, int size, int inUse, int idle, int opening, int waiting, int pinned) {
}
