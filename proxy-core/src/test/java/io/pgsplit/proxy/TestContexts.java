package io.pgsplit.proxy;

import io.pgsplit.health.HealthMonitor;
import io.pgsplit.health.HealthSettings;
import io.pgsplit.health.ProbeCredentials;
import io.pgsplit.proxy.config.ConfigException;
import io.pgsplit.proxy.config.ConfigLoader;
import io.pgsplit.proxy.config.PgSplitConfig;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import io.pgsplit.proxy.tls.ServerTls;
import io.pgsplit.router.RouterSettings;
import io.pgsplit.router.StatementClassifier;

/**
 * Builds a {@link ProxyContext} for tests of handlers that only need the configuration: its health
 * monitor is never started, so no server is probed, and the classifier parses on the calling thread.
 * Callers close {@code context.health()} when done.
 */
public final class TestContexts {
    private TestContexts() {
    }

    public static ProxyContext fromYaml(String yaml) throws ConfigException {
        PgSplitConfig config = ConfigLoader.parse(yaml, "test");
        HealthMonitor health = new HealthMonitor(PgSplitServer.serverAddresses(config), HealthSettings.defaults(),
                new ProbeCredentials(config.health().user(), config.health().password(), config.health().database()));
        return new ProxyContext(config, new StatementClassifier(RouterSettings.defaults(), Runnable::run), health,
                new ProxyMetrics(), Runnable::run, ServerTls.of(config.security().serverTls(), config.servers()));
    }
}
