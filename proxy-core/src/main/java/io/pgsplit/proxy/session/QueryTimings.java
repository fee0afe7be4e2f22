package io.pgsplit.proxy.session;

import io.pgsplit.proxy.balance.ReplicaLatencies;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import io.pgsplit.proxy.metrics.QueryDurationRecorder;

/**
 * Times each request a server answered: into the loop's share of {@code pgsplit_query_duration_seconds} and into
 * the server's latency average (for the lowest-latency policy), from one clock reading.
 */
final class QueryTimings {
    private final ProxyMetrics metrics;
    private final ReplicaLatencies latencies;
    /** Taken on the first answered request; the session always runs on its loop, so it stays single-writer. */
    private QueryDurationRecorder durations;

    QueryTimings(ProxyMetrics metrics, ReplicaLatencies latencies) {
        this.metrics = metrics;
        this.latencies = latencies;
    }

    /** The request that went out at {@code startedNanos} (System.nanoTime) on {@code lease} is answered. */
    void answered(Lease lease, long startedNanos) {
        long now = System.nanoTime();
        long took = now - startedNanos;
        QueryDurationRecorder recorder = durations;
        if (recorder == null || !recorder.ownedByCurrentThread()) {
            recorder = metrics.queryDurationRecorder();
            durations = recorder;
        }
        recorder.record(lease.role(), took, now);
        latencies.record(lease.serverName(), took, now);
    }
}
