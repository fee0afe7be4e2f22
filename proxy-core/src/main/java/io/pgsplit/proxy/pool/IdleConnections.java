package io.pgsplit.proxy.pool;

import io.pgsplit.proxy.backend.BackendConnection;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * One loop's parked connections of one server, oldest first: reuse takes the newest of a key (its server process
 * is warmest), eviction the oldest of any. Changed only on that loop; the count and the oldest's parking time are
 * volatile because other loops read them when deciding whether a slot should move.
 */
final class IdleConnections {
    private final ArrayDeque<PooledConnection> entries = new ArrayDeque<>();
    private volatile int count;
    /** When the oldest was parked (the pools' clock). */
    private volatile long oldestParkedAt;

    void add(PooledConnection entry) {
        if (entries.isEmpty()) {
            oldestParkedAt = entry.parkedAt();
        }
        entries.addLast(entry);
        count++;
    }

    /** The newest of {@code key}, taken out whether or not it is still usable, or null. */
    PooledConnection takeNewest(PoolKey key) {
        PooledConnection newest = entries.peekLast();
        if (newest == null) {
            return null;
        }
        if (newest.key().equals(key)) {
            entries.pollLast(); // the common case, without an iterator: one user and database per pool
            removed();
            return newest;
        }
        for (Iterator<PooledConnection> newestFirst = entries.descendingIterator(); newestFirst.hasNext(); ) {
            PooledConnection candidate = newestFirst.next();
            if (candidate.key().equals(key)) {
                newestFirst.remove();
                removed();
                return candidate;
            }
        }
        return null;
    }

    /** The least recently parked of any key, taken out, or null. */
    PooledConnection takeOldest() {
        PooledConnection oldest = entries.pollFirst();
        if (oldest != null) {
            removed();
        }
        return oldest;
    }

    /** Takes {@code connection} out; false when it was not parked here. */
    boolean remove(BackendConnection connection) {
        for (Iterator<PooledConnection> all = entries.iterator(); all.hasNext(); ) {
            if (all.next().connection() == connection) {
                all.remove();
                removed();
                return true;
            }
        }
        return false;
    }

    /** Takes out every connection opened in another generation than {@code generation}, handing each to {@code sink}. */
    void takeRetired(int generation, Consumer<PooledConnection> sink) {
        for (Iterator<PooledConnection> all = entries.iterator(); all.hasNext(); ) {
            PooledConnection entry = all.next();
            if (entry.generation() != generation) {
                all.remove();
                removed();
                sink.accept(entry);
            }
        }
    }

    int count() {
        return count;
    }

    /** True when the oldest was parked more than {@code nanos} before {@code now}. */
    boolean restedLongerThan(long nanos, long now) {
        return count > 0 && now - oldestParkedAt > nanos;
    }

    private void removed() {
        PooledConnection oldest = entries.peekFirst();
        if (oldest != null) {
            oldestParkedAt = oldest.parkedAt();
        }
        count--;
    }
}
