package io.pgsplit.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.pgsplit.health.Role;

/**
 * One session's {@code pgsplit_statements_total} counters, found again per routed request without a map or a tag
 * lookup: the last few label sets it counted. The labels are usually the very instances of the last request (the
 * connection's server name, the role, the reasons' constants), so comparing them is a few reference checks; a label
 * set not among them is found (or registered) in the process-wide {@link RouteCounters} and takes the oldest slot.
 * Counters are never removed from the registry, so a kept one stays the live series. Use on the session's event loop
 * only.
 */
public final class RouteMeters {
    private static final int SLOTS = 8;

    private final RouteCounters counters;
    private final Slot[] slots = new Slot[SLOTS];
    private int nextSlot;

    private record Slot(String server, Role role, String reason, Counter counter) {
    }

    RouteMeters(RouteCounters counters) {
        this.counters = counters;
    }

    /** One routed statement or Sync group, as {@link ProxyMetrics#routed}. */
    public void routed(String server, Role role, String reason) {
        for (Slot slot : slots) {
            if (slot != null && slot.role == role && slot.reason.equals(reason) && slot.server.equals(server)) {
                slot.counter.increment();
                return;
            }
        }
        Counter counter = counters.counter(server, ProxyMetrics.label(role), reason);
        slots[nextSlot] = new Slot(server, role, reason, counter);
        nextSlot = (nextSlot + 1) % SLOTS;
        counter.increment();
    }
}
