package io.pgsplit.proxy.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * One server's connections: those running a request ({@code active}), those waiting for one
 * ({@code idle}), pooled ones kept by a pinned client between requests ({@code pinned}), and those
 * being opened ({@code opening}). The sessions' own connections are counted here as they change;
 * pooled ones, primary and replica alike, are read off the pools at scrape time (lent ones are
 * active unless pinned, parked ones idle, slots taken for a connection not yet ready opening).
 */
final class ServerConnectionCounts {
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger idle = new AtomicInteger();
    private final AtomicInteger pinned = new AtomicInteger();
    private final AtomicInteger opening = new AtomicInteger();
    private final String server;
    private final Supplier<PooledConnections> pools;
    private final List<Gauge> gauges;

    ServerConnectionCounts(String server, MeterRegistry registry, Supplier<PooledConnections> pools) {
        this.server = server;
        this.pools = pools;
        this.gauges = List.of(register(registry, "active", () -> snapshot().active()),
                register(registry, "idle", () -> snapshot().idle()),
                register(registry, "pinned", pinned::get),
                register(registry, "opening", () -> snapshot().opening()));
    }

    void unregister(MeterRegistry registry) {
        gauges.forEach(registry::remove);
    }

    private Gauge register(MeterRegistry registry, String state, IntSupplier count) {
        return Gauge.builder("pgsplit.server.connections", count::getAsInt)
                .description("Server connections open, by server and state (active: running a request; pinned: pooled, "
                        + "kept by a client whose session state cannot be shared; opening: started, not yet ready)")
                .tag("server", server).tag("state", state).register(registry);
    }

    void opening(int delta) {
        opening.addAndGet(delta);
    }

    void opened() {
        idle.incrementAndGet();
    }

    void busy() {
        idle.decrementAndGet();
        active.incrementAndGet();
    }

    void idle() {
        active.decrementAndGet();
        idle.incrementAndGet();
    }

    void closed(boolean busy) {
        (busy ? active : idle).decrementAndGet();
    }

    void pinned(boolean now) {
        pinned.addAndGet(now ? 1 : -1);
    }

    ConnectionCounts snapshot() {
        PooledConnections.Counts pooled = pools.get().of(server);
        int pinnedNow = pinned.get();
        return new ConnectionCounts(active.get() + pooled.lent() - pinnedNow, idle.get() + pooled.idle(), pinnedNow,
                opening.get() + pooled.opening());
    }
}
