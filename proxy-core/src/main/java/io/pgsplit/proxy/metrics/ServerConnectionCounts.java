package io.pgsplit.proxy.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/** One server's connections, split into those running a request ({@code active}) and those waiting for one. */
final class ServerConnectionCounts {
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger idle = new AtomicInteger();

    ServerConnectionCounts(String server, MeterRegistry registry) {
        register(registry, server, "active", active);
        register(registry, server, "idle", idle);
    }

    private static void register(MeterRegistry registry, String server, String state, AtomicInteger count) {
        Gauge.builder("pgsplit.server.connections", count, AtomicInteger::get)
                .description("Server connections open, by server and state (active: running a request)")
                .tag("server", server).tag("state", state).register(registry);
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

    ConnectionCounts snapshot() {
        return new ConnectionCounts(active.get(), idle.get());
    }
}
