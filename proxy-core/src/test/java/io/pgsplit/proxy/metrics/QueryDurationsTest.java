package io.pgsplit.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.health.Role;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class QueryDurationsTest {
    private static final Duration[] BOUNDS = {Duration.ofMillis(1), Duration.ofMillis(10)};
    private static final long WINDOW = QueryDurationRecorder.MAX_WINDOW_NANOS;

    private final AtomicLong clock = new AtomicLong(7 * WINDOW);
    private final QueryDurations durations = new QueryDurations(BOUNDS, clock::get);

    @Test
    void everyThreadRecordsInItsOwnRecorderAndTheScrapeAddsThemUp() throws Exception {
        durations.recorder().record(Role.REPLICA, Duration.ofMillis(5).toNanos(), clock.get());
        Thread other = new Thread(() -> {
            QueryDurationRecorder recorder = durations.recorder();
            recorder.record(Role.REPLICA, Duration.ofMillis(1).toNanos(), clock.get());
            recorder.record(Role.REPLICA, Duration.ofSeconds(2).toNanos(), clock.get());
        });
        other.start();
        other.join();

        assertThat(durations.recorder()).as("a thread keeps its recorder").isSameAs(durations.recorder());
        assertThat(scrape())
                .contains("pgsplit_query_duration_seconds_bucket{role=\"replica\",le=\"0.001\"} 1\n")
                .contains("pgsplit_query_duration_seconds_bucket{role=\"replica\",le=\"0.01\"} 2\n")
                .contains("pgsplit_query_duration_seconds_bucket{role=\"replica\",le=\"+Inf\"} 3\n")
                .contains("pgsplit_query_duration_seconds_count{role=\"replica\"} 3\n")
                .contains("pgsplit_query_duration_seconds_sum{role=\"replica\"} 2.006\n")
                .contains("pgsplit_query_duration_seconds_max{role=\"replica\"} 2.0\n")
                .contains("pgsplit_query_duration_seconds_count{role=\"primary\"} 0\n");
    }

    @Test
    void aRecorderIsOwnedByTheThreadThatTookIt() throws Exception {
        QueryDurationRecorder mine = durations.recorder();
        boolean[] ownedElsewhere = new boolean[1];
        Thread other = new Thread(() -> ownedElsewhere[0] = mine.ownedByCurrentThread());
        other.start();
        other.join();

        assertThat(mine.ownedByCurrentThread()).isTrue();
        assertThat(ownedElsewhere[0]).isFalse();
    }

    @Test
    void theMaxCoversTheLastWindowsOnly() throws Exception {
        QueryDurationRecorder recorder = durations.recorder();
        recorder.record(Role.PRIMARY, Duration.ofMillis(300).toNanos(), clock.get());
        clock.addAndGet(WINDOW);
        recorder.record(Role.PRIMARY, Duration.ofMillis(20).toNanos(), clock.get());
        clock.addAndGet(WINDOW);
        assertThat(scrape()).contains("pgsplit_query_duration_seconds_max{role=\"primary\"} 0.3\n");

        clock.addAndGet(WINDOW);
        assertThat(scrape()).as("the 300 ms query's window has passed")
                .contains("pgsplit_query_duration_seconds_max{role=\"primary\"} 0.02\n");

        clock.addAndGet(WINDOW);
        recorder.record(Role.PRIMARY, Duration.ofMillis(4).toNanos(), clock.get());
        assertThat(scrape()).as("a reused window slot starts again from its new sample")
                .contains("pgsplit_query_duration_seconds_max{role=\"primary\"} 0.004\n")
                .contains("pgsplit_query_duration_seconds_count{role=\"primary\"} 3\n");
    }

    @Test
    void theUnknownRoleIsPublishedOnlyOnceAQueryRanThere() throws Exception {
        assertThat(scrape()).doesNotContain("role=\"unknown\"");

        durations.recorder().record(Role.UNKNOWN, 1, clock.get());

        assertThat(scrape()).contains("pgsplit_query_duration_seconds_count{role=\"unknown\"} 1\n");
    }

    @Test
    void publishedAsMicrometersTimerWasAHistogramAndAMaxGauge() throws Exception {
        assertThat(scrape())
                .contains("# TYPE pgsplit_query_duration_seconds histogram\n")
                .contains("# HELP pgsplit_query_duration_seconds Time from sending a routed request to the server's"
                        + " ReadyForQuery, by role\n")
                .contains("# TYPE pgsplit_query_duration_seconds_max gauge\n");
    }

    private String scrape() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(durations);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
