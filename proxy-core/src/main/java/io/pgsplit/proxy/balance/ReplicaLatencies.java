package io.pgsplit.proxy.balance;

import io.pgsplit.health.ProbeLatencyListener;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Recent latency per server, from the round trips of health probes (on the health threads) and the durations of
 * the queries sessions ran there, measured from sending a group to its ReadyForQuery (on the event loops). A long
 * query counts too: it is latency as the clients see it, and it moves reads away while it fades.
 */
public final class ReplicaLatencies implements ProbeLatencyListener {
    private final ConcurrentHashMap<String, LatencyAverage> servers = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    public ReplicaLatencies() {
        this(System::nanoTime);
    }

    ReplicaLatencies(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public void probed(String serverName, long roundTripNanos) {
        record(serverName, roundTripNanos);
    }

    /** A query on {@code server} took {@code nanos}, from the first byte sent to its ReadyForQuery. */
    public void record(String server, long nanos) {
        record(server, nanos, clock.getAsLong());
    }

    /** As {@link #record(String, long)}, for a caller that read the clock ({@code System.nanoTime}) already. */
    public void record(String server, long nanos, long nowNanos) {
        LatencyAverage average = servers.get(server);
        if (average == null) {
            average = servers.computeIfAbsent(server, name -> new LatencyAverage());
        }
        average.sample(nanos, nowNanos);
    }

    /** The average now, or -1 before the first sample. */
    public long nanos(String server) {
        LatencyAverage average = servers.get(server);
        return average == null ? -1 : average.nanos();
    }
}
