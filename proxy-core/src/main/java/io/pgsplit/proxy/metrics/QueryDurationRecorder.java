package io.pgsplit.proxy.metrics;

import io.pgsplit.health.Role;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One thread's share of {@code pgsplit_query_duration_seconds}. Only its owner writes, so a query costs a bucket
 * search and a few plain stores (release stores, for the scrape thread to read) instead of the atomic adds and the
 * clock read of a shared timer; the scrape sums every recorder.
 */
public final class QueryDurationRecorder {
    /** As Micrometer's default: the max covers the last two to three windows of 40 s (expiry 2 min, 3 buffers). */
    static final int MAX_WINDOWS = 3;
    static final long MAX_WINDOW_NANOS = 40_000_000_000L;
    private static final int ROLES = Role.values().length;

    private final Thread owner;
    private final long[] boundsNanos;
    private final int slotsPerRole;
    /** Per role: a count per bucket, the last slot for durations above every bound. */
    private final AtomicLongArray counts;
    private final AtomicLongArray sumNanos = new AtomicLongArray(ROLES);
    /** Per role and window slot: the largest duration seen in the window whose number is in {@link #windows}. */
    private final AtomicLongArray maxNanos = new AtomicLongArray(ROLES * MAX_WINDOWS);
    private final AtomicLongArray windows = new AtomicLongArray(ROLES * MAX_WINDOWS);

    QueryDurationRecorder(Thread owner, long[] boundsNanos) {
        this.owner = owner;
        this.boundsNanos = boundsNanos;
        this.slotsPerRole = boundsNanos.length + 1;
        this.counts = new AtomicLongArray(ROLES * slotsPerRole);
    }

    /** True when the calling thread may record here. */
    public boolean ownedByCurrentThread() {
        return owner == Thread.currentThread();
    }

    /** A query on a server of {@code role} took {@code nanos}, ending at {@code nowNanos} (System.nanoTime). */
    public void record(Role role, long nanos, long nowNanos) {
        int r = role.ordinal();
        int bucket = 0;
        while (bucket < boundsNanos.length && nanos > boundsNanos[bucket]) {
            bucket++;
        }
        int slot = r * slotsPerRole + bucket;
        counts.lazySet(slot, counts.get(slot) + 1);
        sumNanos.lazySet(r, sumNanos.get(r) + nanos);
        long window = Math.floorDiv(nowNanos, MAX_WINDOW_NANOS);
        int maxSlot = r * MAX_WINDOWS + (int) Math.floorMod(window, (long) MAX_WINDOWS);
        if (windows.get(maxSlot) != window) {
            maxNanos.lazySet(maxSlot, nanos);
            windows.lazySet(maxSlot, window);
        } else if (nanos > maxNanos.get(maxSlot)) {
            maxNanos.lazySet(maxSlot, nanos);
        }
    }

    /** Adds this recorder's per-bucket counts for {@code role} into {@code into} (length: bounds + 1). */
    void addCounts(Role role, long[] into) {
        int base = role.ordinal() * slotsPerRole;
        for (int i = 0; i < slotsPerRole; i++) {
            into[i] += counts.get(base + i);
        }
    }

    long sumNanos(Role role) {
        return sumNanos.get(role.ordinal());
    }

    /** The largest duration of {@code role} in the windows up to two before {@code window}, or 0. */
    long maxNanos(Role role, long window) {
        long max = 0;
        for (int i = 0; i < MAX_WINDOWS; i++) {
            int slot = role.ordinal() * MAX_WINDOWS + i;
            long seen = windows.get(slot);
            if (seen <= window && seen > window - MAX_WINDOWS) {
                max = Math.max(max, maxNanos.get(slot));
            }
        }
        return max;
    }
}
