package io.pgsplit.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pgsplit.health.Role;
import io.pgsplit.router.StatementClassifier;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The proxy's meters in a Prometheus registry. Counters are looked up once per label set and then
 * kept, so counting a routed statement costs a map lookup and an atomic add.
 */
public final class ProxyMetrics {
    private static final String NONE = "none";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<RouteLabels, Counter> statements = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> serverConnections = new ConcurrentHashMap<>();
    private final AtomicInteger clientConnections = new AtomicInteger();

    private record RouteLabels(String server, String role, String reason) {
    }

    public ProxyMetrics() {
        Gauge.builder("pgsplit.client.connections", clientConnections, AtomicInteger::get)
                .description("Client connections open").register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public MeterRegistry meterRegistry() {
        return registry;
    }

    public void bindClassifier(StatementClassifier classifier) {
        FunctionCounter.builder("pgsplit.classifier.cache.hits", classifier, StatementClassifier::cacheHits)
                .description("Statements classified from the cache").register(registry);
        FunctionCounter.builder("pgsplit.classifier.cache.misses", classifier, StatementClassifier::cacheMisses)
                .description("Statements that had to be classified").register(registry);
    }

    /** One routed statement or Sync group. */
    public void routed(String server, Role role, String reason) {
        count(new RouteLabels(server, role.name().toLowerCase(Locale.ROOT), reason));
    }

    /** A statement answered with an error because no suitable server was available. */
    public void refused(String reason) {
        count(new RouteLabels(NONE, NONE, reason));
    }

    private void count(RouteLabels labels) {
        statements.computeIfAbsent(labels, l -> Counter.builder("pgsplit.statements")
                .description("Statements and Sync groups routed, by target and reason")
                .tag("server", l.server()).tag("role", l.role()).tag("reason", l.reason())
                .register(registry)).increment();
    }

    public void clientConnected() {
        clientConnections.incrementAndGet();
    }

    public void clientDisconnected() {
        clientConnections.decrementAndGet();
    }

    public int clientConnections() {
        return clientConnections.get();
    }

    public void serverConnectionOpened(String server) {
        serverGauge(server).incrementAndGet();
    }

    public void serverConnectionClosed(String server) {
        serverGauge(server).decrementAndGet();
    }

    private AtomicInteger serverGauge(String server) {
        return serverConnections.computeIfAbsent(server, name -> {
            AtomicInteger count = new AtomicInteger();
            Gauge.builder("pgsplit.server.connections", count, AtomicInteger::get)
                    .description("Server connections open, by server and state")
                    .tag("server", name).tag("state", "open").register(registry);
            return count;
        });
    }

    public String scrape() {
        return registry.scrape();
    }
}
