package io.pgsplit.proxy;

import io.pgsplit.health.HealthMonitor;
import io.pgsplit.health.HealthSettings;
import io.pgsplit.health.ProbeCredentials;
import io.pgsplit.proxy.config.ConfigException;
import io.pgsplit.proxy.config.ConfigLoader;
import io.pgsplit.proxy.config.PgSplitConfig;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import io.pgsplit.proxy.tls.ServerTls;
import io.pgsplit.router.StatementClassifier;
import java.util.concurrent.Executor;

/**
 * Builds a {@link ProxyContext} for tests of handlers that only need the configuration: its health
 * monitor is never started, so no server is probed, and the classifier parses on the calling thread unless told otherwise.
 * Callers close {@code context.health()} when done.
 */
public final class TestContexts {
    private TestContexts() {
    }

    public static ProxyContext fromYaml(String yaml) throws ConfigException {
        return fromYaml(yaml, Runnable::run);
    }

    /** {@code parserExecutor}: where JSqlParser runs (a queue the test drains, or one that never runs it). */
    public static ProxyContext fromYaml(String yaml, Executor parserExecutor) throws ConfigException {
        PgSplitConfig config = ConfigLoader.parse(yaml, "test");
        HealthMonitor health = new HealthMonitor(PgSplitServer.serverAddresses(config), HealthSettings.defaults(),
                new ProbeCredentials(config.health().user(), config.health().password(), config.health().database()));
        StatementClassifier classifier = new StatementClassifier(PgSplitServer.routerSettings(config.routing()), parserExecutor);
        return new ProxyContext(config, classifier, health, new ProxyMetrics(), Runnable::run,
                ServerTls.of(config.security().serverTls(), config.servers()));
    }
}
