package io.pgsplit.proxy.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pgsplit.health.ServerHealth;
import io.pgsplit.health.Topology;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Per-server health gauges and the split-brain flag. Values are read from the current topology at
 * scrape time; only the set of servers needs following, because a config reload can add or remove
 * servers: {@link #follow} registers gauges for new ones and removes those of servers that are gone.
 * Lag follows {@link ReplicaLag}, with NaN for unknown.
 */
final class TopologyGauges {
    private final MeterRegistry registry;
    private final Supplier<Topology> topology;
    // Guarded by this.
    private final Map<String, List<Meter>> serverMeters = new HashMap<>();

    TopologyGauges(MeterRegistry registry, Supplier<Topology> topology) {
        this.registry = registry;
        this.topology = topology;
        Gauge.builder("pgsplit.split.brain", () -> topology.get().splitBrain() ? 1 : 0)
                .description("1 while two or more up servers claim to be the primary (no primary is offered then)")
                .register(registry);
        follow();
    }

    /** Registers gauges for new servers, removes those of servers gone; returns the servers of the topology. */
    synchronized Set<String> follow() {
        Set<String> current = topology.get().servers().stream().map(ServerHealth::name).collect(Collectors.toSet());
        serverMeters.entrySet().removeIf(server -> {
            if (current.contains(server.getKey())) {
                return false;
            }
            server.getValue().forEach(registry::remove);
            return true;
        });
        current.forEach(server -> serverMeters.computeIfAbsent(server, this::register));
        return current;
    }

    private List<Meter> register(String server) {
        return List.of(
                gauge("pgsplit.server.up", "1 while the server passes its health checks", server,
                        health -> health.up() ? 1 : 0),
                gauge("pgsplit.server.is.primary", "1 while the server is up and not in recovery", server,
                        health -> health.isPrimary() ? 1 : 0),
                gauge("pgsplit.replica.lag.bytes", "WAL bytes the replica has yet to replay; NaN when unknown",
                        server, health -> orNaN(ReplicaLag.bytes(health))),
                gauge("pgsplit.replica.lag.seconds", "Age of the last replayed transaction; NaN when unknown",
                        server, health -> ReplicaLag.seconds(health).orElse(Double.NaN)));
    }

    private Gauge gauge(String name, String description, String server, ToDoubleFunction<ServerHealth> value) {
        return Gauge.builder(name, () -> topology.get().server(server).map(value::applyAsDouble).orElse(Double.NaN))
                .description(description).tag("server", server).register(registry);
    }

    private static double orNaN(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : Double.NaN;
    }
}
