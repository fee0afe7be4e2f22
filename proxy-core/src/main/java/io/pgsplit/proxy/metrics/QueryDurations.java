package io.pgsplit.proxy.metrics;

import io.pgsplit.health.Role;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * {@code pgsplit_query_duration_seconds} (a histogram per role) and its {@code _max} gauge, as Micrometer's timer
 * published them, but recorded per thread: every event loop writes its own {@link QueryDurationRecorder} and the
 * scrape adds them up. A shared timer cost each query several contended atomic adds and a clock read.
 */
final class QueryDurations implements MultiCollector {
    private static final String NAME = "pgsplit_query_duration_seconds";
    private static final String HELP = "Time from sending a routed request to the server's ReadyForQuery, by role";
    /** Always published, so that dashboards and alerts see zeros rather than no series at all. */
    private static final List<Role> ALWAYS = List.of(Role.PRIMARY, Role.REPLICA);

    private final long[] boundsNanos;
    private final double[] upperBoundsSeconds;
    private final ConcurrentHashMap<Thread, QueryDurationRecorder> recorders = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    QueryDurations(Duration[] bounds, LongSupplier nanoClock) {
        this.boundsNanos = Arrays.stream(bounds).mapToLong(Duration::toNanos).toArray();
        this.upperBoundsSeconds = new double[boundsNanos.length + 1];
        for (int i = 0; i < boundsNanos.length; i++) {
            upperBoundsSeconds[i] = boundsNanos[i] / 1e9;
        }
        upperBoundsSeconds[boundsNanos.length] = Double.POSITIVE_INFINITY;
        this.nanoClock = nanoClock;
    }

    /** The calling thread's recorder; a session keeps it while {@link QueryDurationRecorder#ownedByCurrentThread}. */
    QueryDurationRecorder recorder() {
        return recorders.computeIfAbsent(Thread.currentThread(), thread -> new QueryDurationRecorder(thread, boundsNanos));
    }

    @Override
    public MetricSnapshots collect() {
        long window = Math.floorDiv(nanoClock.getAsLong(), QueryDurationRecorder.MAX_WINDOW_NANOS);
        HistogramSnapshot.Builder histogram = HistogramSnapshot.builder().name(NAME).help(HELP);
        GaugeSnapshot.Builder max = GaugeSnapshot.builder().name(NAME + "_max").help(HELP);
        for (Role role : Role.values()) {
            long[] counts = new long[upperBoundsSeconds.length];
            long sumNanos = 0;
            long maxNanos = 0;
            for (QueryDurationRecorder recorder : recorders.values()) {
                recorder.addCounts(role, counts);
                sumNanos += recorder.sumNanos(role);
                maxNanos = Math.max(maxNanos, recorder.maxNanos(role, window));
            }
            if (!ALWAYS.contains(role) && Arrays.stream(counts).sum() == 0) {
                continue;
            }
            Labels labels = Labels.of("role", ProxyMetrics.label(role));
            histogram.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                    .labels(labels)
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(upperBoundsSeconds, counts))
                    .sum(sumNanos / 1e9)
                    .build());
            max.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(maxNanos / 1e9).build());
        }
        return MetricSnapshots.of(histogram.build(), max.build());
    }

    @Override
    public List<String> getPrometheusNames() {
        return new ArrayList<>(List.of(NAME, NAME + "_max"));
    }
}
