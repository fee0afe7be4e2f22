package io.pgsplit.health;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and publishes snapshots one at a time, so versions and listener calls come in order, while readers get the
 * latest snapshot from an atomic reference without locking.
 */
final class TopologyPublisher {

    private static final Logger log = LoggerFactory.getLogger(TopologyPublisher.class);

    /** What listeners are told about: lag changes every round and is deliberately left out. */
    private record Shape(List<String> serverStates, boolean splitBrain) {

        static Shape of(Topology topology) {
            return new Shape(topology.servers().stream()
                    .map(server -> server.name() + (server.up() ? " up " : " down ") + server.role())
                    .toList(), topology.splitBrain());
        }
    }

    private final Supplier<List<ServerObservation>> observations;
    private final Supplier<HealthSettings> settings;
    private final AtomicReference<Topology> current;
    private final List<Consumer<Topology>> listeners = new CopyOnWriteArrayList<>();

    // Guarded by this.
    private long version;
    private Shape lastShape;
    private List<String> lastReadable;

    /** Publishes version 0, listing every server as not probed yet, without telling anyone. */
    TopologyPublisher(Supplier<List<ServerObservation>> observations, Supplier<HealthSettings> settings) {
        this.observations = observations;
        this.settings = settings;
        Topology initial = TopologyBuilder.build(0, observations.get(), settings.get());
        current = new AtomicReference<>(initial);
        lastShape = Shape.of(initial);
        lastReadable = readableNames(initial);
    }

    Topology current() {
        return current.get();
    }

    void addListener(Consumer<Topology> listener) {
        listeners.add(listener);
    }

    /**
     * Publishes a snapshot of the observations as they are now. They are read under the lock: read before it, a
     * round that ended meanwhile could be overwritten by an older view of itself.
     */
    synchronized void publish() {
        Topology topology = TopologyBuilder.build(++version, observations.get(), settings.get());
        current.set(topology);
        Shape shape = Shape.of(topology);
        List<String> readable = readableNames(topology);
        boolean shapeChanged = !shape.equals(lastShape);
        if (shapeChanged || !readable.equals(lastReadable)) {
            log.info(TopologySummary.describe(topology));
        }
        if (topology.splitBrain() && !lastShape.splitBrain()) {
            log.error("split brain: {} report not being in recovery; no primary is offered until only one remains",
                    topology.servers().stream().filter(ServerHealth::isPrimary).map(ServerHealth::name)
                            .collect(Collectors.joining(", ")));
        }
        lastShape = shape;
        lastReadable = readable;
        if (shapeChanged) {
            notifyListeners(topology);
        }
        notifyAll();
    }

    /** Waits until {@code condition} holds, re-checking it after every publication. */
    synchronized boolean awaitUntil(BooleanSupplier condition, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
        return true;
    }

    private void notifyListeners(Topology topology) {
        for (Consumer<Topology> listener : listeners) {
            try {
                listener.accept(topology);
            } catch (RuntimeException e) {
                log.warn("topology listener {} failed", listener, e);
            }
        }
    }

    private static List<String> readableNames(Topology topology) {
        return topology.readableReplicas().stream().map(ServerHealth::name).toList();
    }
}
