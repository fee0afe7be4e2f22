package io.pgsplit.proxy.metrics;

import static io.pgsplit.proxy.metrics.TestTopologies.down;
import static io.pgsplit.proxy.metrics.TestTopologies.primary;
import static io.pgsplit.proxy.metrics.TestTopologies.replica;
import static io.pgsplit.proxy.metrics.TestTopologies.splitBrain;
import static io.pgsplit.proxy.metrics.TestTopologies.topology;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.health.Role;
import io.pgsplit.health.Topology;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProxyMetricsTest {
    private final ProxyMetrics metrics = new ProxyMetrics();
    private final AtomicReference<Topology> topology = new AtomicReference<>(
            topology(1, primary("pg1"), replica("pg2", 8192, 0.5), replica("pg3", -1, -1)));

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void publishesTheTransportAsAnInfoGauge() {
        metrics.transport("io_uring");
        assertThat(metrics.scrape()).contains("pgsplit_transport_info{transport=\"io_uring\"} 1");
    }

    @Test
    void serverConnectionsStartIdleAndMoveBetweenActiveAndIdle() {
        metrics.serverConnectionOpened("pg1");
        metrics.serverConnectionOpened("pg1");
        metrics.serverConnectionBusy("pg1");
        assertThat(metrics.serverConnections("pg1")).isEqualTo(new ConnectionCounts(1, 1));

        metrics.serverConnectionIdle("pg1");
        assertThat(metrics.serverConnections("pg1")).isEqualTo(new ConnectionCounts(0, 2));
        assertThat(metrics.scrape())
                .contains("pgsplit_server_connections{server=\"pg1\",state=\"active\"} 0")
                .contains("pgsplit_server_connections{server=\"pg1\",state=\"idle\"} 2");
    }

    @Test
    void closingAConnectionLowersTheStateItWasIn() {
        metrics.serverConnectionOpened("pg2");
        metrics.serverConnectionOpened("pg2");
        metrics.serverConnectionOpened("pg2");
        metrics.serverConnectionBusy("pg2");

        metrics.serverConnectionClosed("pg2", true);
        assertThat(metrics.serverConnections("pg2")).isEqualTo(new ConnectionCounts(0, 2));
        metrics.serverConnectionClosed("pg2");
        assertThat(metrics.serverConnections("pg2")).isEqualTo(new ConnectionCounts(0, 1));
    }

    @Test
    void connectionsBeingOpenedCountAsOpeningBesidePooledOnesOfBothRoles() {
        metrics.bindPools((server, role) -> role == Role.REPLICA
                ? new PooledConnections.Counts(2, 3, 1, 0) : new PooledConnections.Counts(1, 0, 0, 0));
        metrics.serverConnectionOpening("pg2", true);

        assertThat(metrics.serverConnections("pg2")).isEqualTo(new ConnectionCounts(3, 3, 0, 2));
        assertThat(metrics.scrape()).contains("pgsplit_server_connections{server=\"pg2\",state=\"opening\"} 2");
        assertThat(metrics.pools("pg2")).containsExactly(new PoolStatus("primary", 1, 1, 0, 0, 0, 0),
                new PoolStatus("replica", 6, 2, 3, 1, 0, 0));

        metrics.serverConnectionOpening("pg2", false);
        metrics.serverConnectionOpened("pg2");
        assertThat(metrics.serverConnections("pg2")).isEqualTo(new ConnectionCounts(3, 4, 0, 1));
    }

    @Test
    void aServerNeverConnectedToHasNoConnections() {
        assertThat(metrics.serverConnections("pg9")).isEqualTo(ConnectionCounts.NONE);
    }

    @Test
    void serverGaugesReportUpPrimaryAndLagFromTheCurrentTopology() {
        metrics.bindTopology(topology::get);

        assertThat(metrics.scrape())
                .contains("pgsplit_server_up{server=\"pg1\"} 1")
                .contains("pgsplit_server_is_primary{server=\"pg1\"} 1")
                .contains("pgsplit_server_is_primary{server=\"pg2\"} 0")
                .contains("pgsplit_replica_lag_bytes{server=\"pg1\"} 0")
                .contains("pgsplit_replica_lag_seconds{server=\"pg1\"} 0")
                .contains("pgsplit_replica_lag_bytes{server=\"pg2\"} 8192")
                .contains("pgsplit_replica_lag_seconds{server=\"pg2\"} 0.5")
                .contains("pgsplit_replica_lag_bytes{server=\"pg3\"} NaN")
                .contains("pgsplit_split_brain 0");

        topology.set(topology(2, primary("pg1"), replica("pg2", 0, 0), down("pg3", "connection refused")));
        assertThat(metrics.scrape())
                .contains("pgsplit_server_up{server=\"pg3\"} 0")
                .as("a down server's last lag is stale").contains("pgsplit_replica_lag_seconds{server=\"pg3\"} NaN");
    }

    @Test
    void serverGaugesFollowServersAddedAndRemovedByAReload() {
        metrics.bindTopology(topology::get);
        assertThat(metrics.scrape()).contains("pgsplit_server_up{server=\"pg3\"}");

        topology.set(topology(2, primary("pg1"), replica("pg2", 0, 0), replica("pg4", 0, 0)));
        String scrape = metrics.scrape();

        assertThat(scrape).contains("pgsplit_server_up{server=\"pg4\"} 1")
                .contains("pgsplit_replica_lag_bytes{server=\"pg4\"} 0")
                .doesNotContain("server=\"pg3\"");
    }

    @Test
    void splitBrainGaugeIsOneWhileTwoServersClaimToBePrimary() {
        topology.set(splitBrain(3, primary("pg1"), primary("pg2")));
        metrics.bindTopology(topology::get);

        assertThat(metrics.scrape()).contains("pgsplit_split_brain 1")
                .as("split brain offers no primary, but both servers are still up and not in recovery")
                .contains("pgsplit_server_is_primary{server=\"pg2\"} 1");
    }

    @Test
    void queryDurationsArePublishedAsAHistogramInSecondsPerRole() {
        metrics.recordQuery(Role.REPLICA, Duration.ofMillis(3).toNanos());

        assertThat(metrics.scrape())
                .contains("pgsplit_query_duration_seconds_bucket{role=\"replica\",le=\"0.0025\"} 0")
                .contains("pgsplit_query_duration_seconds_bucket{role=\"replica\",le=\"0.005\"} 1")
                .contains("pgsplit_query_duration_seconds_bucket{role=\"replica\",le=\"+Inf\"} 1")
                .contains("pgsplit_query_duration_seconds_count{role=\"primary\"} 0");
    }

    @Test
    void configReloadsAreCountedByResultStartingFromZero() {
        assertThat(metrics.scrape())
                .contains("pgsplit_config_reloads_total{result=\"ok\"} 0")
                .contains("pgsplit_config_reloads_total{result=\"error\"} 0");

        metrics.configReload(ProxyMetrics.RELOAD_OK);
        metrics.configReload(ProxyMetrics.RELOAD_ERROR);
        metrics.configReload(ProxyMetrics.RELOAD_OK);

        assertThat(metrics.scrape())
                .contains("pgsplit_config_reloads_total{result=\"ok\"} 2")
                .contains("pgsplit_config_reloads_total{result=\"error\"} 1");
    }

    @Test
    void routeCountsListEveryLabelSetInOrder() {
        metrics.routed("pg2", Role.REPLICA, "read");
        metrics.routed("pg1", Role.PRIMARY, "write");
        metrics.routed("pg2", Role.REPLICA, "read");
        metrics.refused("write");

        assertThat(metrics.routeCounts()).containsExactly(
                new RouteCount("none", "refused", "write", 1),
                new RouteCount("pg1", "primary", "write", 1),
                new RouteCount("pg2", "replica", "read", 2));
    }

    @Test
    void jvmAndProcessMetricsAppearOnceBound() {
        assertThat(metrics.scrape()).doesNotContain("jvm_memory_used_bytes");

        metrics.bindJvmAndProcess();

        assertThat(metrics.scrape())
                .contains("jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                        "process_cpu_usage", "system_cpu_count", "process_uptime_seconds", "process_files_open_files");
    }

    @Test
    void scrapeContentTypeIsPrometheusTextFormat004() {
        assertThat(ProxyMetrics.SCRAPE_CONTENT_TYPE).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    }
}
