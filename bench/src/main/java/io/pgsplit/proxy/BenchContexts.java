package io.pgsplit.proxy;

import io.pgsplit.health.HealthMonitor;
import io.pgsplit.health.HealthSettings;
import io.pgsplit.health.ProbeCredentials;
import io.pgsplit.proxy.config.ConfigException;
import io.pgsplit.proxy.config.ConfigLoader;
import io.pgsplit.proxy.config.PgSplitConfig;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import io.pgsplit.proxy.pool.ConnectionOpener;
import io.pgsplit.proxy.tls.ServerTls;
import io.pgsplit.router.StatementClassifier;

/**
 * A {@link ProxyContext} for in-process benchmarks: real classifier, metrics and pools, a health monitor that is
 * never started (the benchmark says what the cluster looks like), pools whose connections come from the benchmark.
 * In this package, inside the bench module, for ProxyContext's package-private constructors.
 */
public final class BenchContexts {
    private BenchContexts() {
    }

    /** JSqlParser runs on the calling thread: a benchmark only ever classifies its statement once, then hits the cache. */
    public static ProxyContext fromYaml(String yaml, ConnectionOpener pooledOpener) throws ConfigException {
        PgSplitConfig config = ConfigLoader.parse(yaml, "benchmark");
        HealthMonitor health = new HealthMonitor(PgSplitServer.serverAddresses(config), HealthSettings.defaults(),
                new ProbeCredentials(config.health().user(), config.health().password(), config.health().database()));
        StatementClassifier classifier = new StatementClassifier(PgSplitServer.routerSettings(config.routing()), Runnable::run);
        return new ProxyContext(config, classifier, health, new ProxyMetrics(), Runnable::run,
                ServerTls.of(config.security().serverTls(), config.servers()), pooledOpener);
    }
}
