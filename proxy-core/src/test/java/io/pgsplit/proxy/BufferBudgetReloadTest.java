package io.pgsplit.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.proxy.config.ConfigLoader;
import org.junit.jupiter.api.Test;

/** limits.max_buffered_bytes takes effect on reload, and the budget's meters are in the scrape from the start. */
class BufferBudgetReloadTest {
    private static final String YAML = """
            listen: 127.0.0.1:0
            servers:
              - {name: pg1, host: 127.0.0.1, port: 5432}
            users:
              - {name: app, password: app}
            """;

    @Test
    void aReloadChangesTheBudgetOfTheRunningProxy() throws Exception {
        ProxyContext context = TestContexts.fromYaml(YAML + "limits: { max_buffered_bytes: 1MB }\n");
        try {
            assertThat(context.bufferBudget().limit()).isEqualTo(1L << 20);
            String scrape = context.metrics().scrape();
            assertThat(scrape).contains("pgsplit_buffered_bytes 0.0").contains("pgsplit_buffer_budget_waits_total 0.0");

            context.apply(ConfigLoader.parse(YAML + "limits: { max_buffered_bytes: 3MB }\n", "test"), context.classifier());

            assertThat(context.bufferBudget().limit()).isEqualTo(3L << 20);
        } finally {
            context.health().close();
        }
    }
}
