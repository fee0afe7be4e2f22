package io.pgsplit.proxy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsplit.health.Role;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.health.ServerHealth;
import io.pgsplit.health.Topology;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import io.pgsplit.router.RouterSettings;
import io.pgsplit.router.StatementClassifier;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** deploy/grafana-dashboard.json parses and queries only metrics that pgsplit publishes. */
class GrafanaDashboardTest {
    private static final Pattern METRIC_NAME = Pattern.compile("\\b(?:pgsplit|jvm|process|system)_[a-z0-9_]+\\b");
    private static final Pattern SAMPLE_NAME = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

    private static JsonNode dashboard;

    @BeforeAll
    static void load() throws Exception {
        dashboard = new ObjectMapper().readTree(DeployFiles.read(DeployFiles.GRAFANA_DASHBOARD));
    }

    @Test
    void isADashboardOfSchemaVersion39WithUniquePanelIds() {
        assertThat(dashboard.get("schemaVersion").asInt()).isEqualTo(39);
        assertThat(dashboard.get("title").asText()).isEqualTo("pgsplit");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(ids.add(panel.get("id").asInt())).as("panel id %s is unique", panel.get("id")).isTrue();
            assertThat(panel.get("gridPos").get("w").asInt()).isBetween(1, 24);
        }
    }

    @Test
    void queriesOnlyMetricsThatPgsplitPublishes() {
        Set<String> published = publishedSampleNames();

        assertThat(referencedMetrics()).isNotEmpty().allSatisfy(name -> assertThat(published).contains(name));
    }

    @Test
    void chartsEveryPgsplitMetric() {
        assertThat(referencedMetrics()).contains(
                "pgsplit_statements_total", "pgsplit_server_up", "pgsplit_server_is_primary",
                "pgsplit_replica_lag_bytes", "pgsplit_replica_lag_seconds", "pgsplit_client_connections",
                "pgsplit_server_connections", "pgsplit_query_duration_seconds_bucket",
                "pgsplit_classifier_cache_hits_total", "pgsplit_classifier_cache_misses_total",
                "pgsplit_config_reloads_total", "pgsplit_split_brain", "pgsplit_read_retries_total");
    }

    private static Set<String> referencedMetrics() {
        Set<String> names = new TreeSet<>();
        List<String> queries = dashboard.findValuesAsText("expr");
        queries.addAll(dashboard.findValuesAsText("definition"));
        for (String query : queries) {
            Matcher matcher = METRIC_NAME.matcher(query);
            while (matcher.find()) {
                names.add(matcher.group());
            }
        }
        return names;
    }

    /** Every sample name of a proxy's scrape once each of its meters has been used at least once. */
    private static Set<String> publishedSampleNames() {
        try (ProxyMetrics metrics = new ProxyMetrics()) {
            ServerHealth primary = new ServerHealth(new ServerAddress("pg1", "127.0.0.1", 25432), true, Role.PRIMARY,
                    0, -1, -1, 1, null, null);
            metrics.bindTopology(() -> new Topology(1, List.of(primary), false));
            metrics.bindClassifier(new StatementClassifier(RouterSettings.defaults(), Runnable::run));
            metrics.bindJvmAndProcess();
            metrics.routed("pg1", Role.PRIMARY, "write");
            metrics.serverConnectionOpened("pg1");
            metrics.retried("pg1");
            // GC pause timers appear with the first collection the JMX listener hears of.
            System.gc();
            await().atMost(Duration.ofSeconds(10)).until(() -> metrics.scrape().contains("jvm_gc_pause_seconds_sum"));
            Set<String> names = new TreeSet<>();
            Matcher matcher = SAMPLE_NAME.matcher(metrics.scrape());
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
            return names;
        }
    }
}
