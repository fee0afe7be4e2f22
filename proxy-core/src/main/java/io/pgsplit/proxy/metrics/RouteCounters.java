package io.pgsplit.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code pgsplit_statements_total{server,role,reason}}. A counter is found by three hash lookups on the label
 * strings the caller already holds (no key object, no lambda, no lower-casing); it is registered the first time
 * its labels are seen. A session counts through its {@link RouteMeters}, which looks here once per label set.
 */
final class RouteCounters {
    private final MeterRegistry registry;
    /** server, then role label, then reason. */
    private final Map<String, Map<String, Map<String, Counter>>> counters = new ConcurrentHashMap<>();

    RouteCounters(MeterRegistry registry) {
        this.registry = registry;
    }

    void increment(String server, String role, String reason) {
        counter(server, role, reason).increment();
    }

    /** The counter of these labels, registered now if it is the first time they are seen. */
    Counter counter(String server, String role, String reason) {
        Map<String, Map<String, Counter>> byRole = counters.get(server);
        Map<String, Counter> byReason = byRole == null ? null : byRole.get(role);
        Counter counter = byReason == null ? null : byReason.get(reason);
        return counter != null ? counter : register(server, role, reason);
    }

    private Counter register(String server, String role, String reason) {
        return counters.computeIfAbsent(server, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(role, r -> new ConcurrentHashMap<>())
                .computeIfAbsent(reason, r -> Counter.builder("pgsplit.statements")
                        .description("Statements and Sync groups routed, by target and reason")
                        .tag("server", server).tag("role", role).tag("reason", reason)
                        .register(registry));
    }

    /** Every counter so far, ordered by server, role and reason. */
    List<RouteCount> snapshot() {
        List<RouteCount> all = new ArrayList<>();
        counters.forEach((server, byRole) -> byRole.forEach((role, byReason) -> byReason.forEach((reason, counter) ->
                all.add(new RouteCount(server, role, reason, (long) counter.count())))));
        all.sort(Comparator.comparing(RouteCount::server).thenComparing(RouteCount::role).thenComparing(RouteCount::reason));
        return all;
    }
}
