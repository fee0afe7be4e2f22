package io.pgsplit.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** limits.max_buffered_bytes and limits.buffer_wait_timeout. */
class BufferBudgetConfigTest {
    private static final String BASE = """
            listen: 127.0.0.1:6432
            servers:
              - { name: pg1, host: 127.0.0.1, port: 55432 }
            users:
              - { name: app, password: secret }
            """;

    private static LimitsConfig limits(String yaml) throws ConfigException {
        return ConfigLoader.parse(BASE + yaml, "test.yaml", Map.of()).limits();
    }

    @Test
    void defaultsAre256MegabytesAndThirtySeconds() throws Exception {
        LimitsConfig limits = limits("");

        assertThat(limits.maxBufferedBytes()).isEqualTo(256L << 20);
        assertThat(limits.bufferWaitTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void readsSizesAndDurations() throws Exception {
        LimitsConfig limits = limits("limits: { max_buffered_bytes: 1MB, buffer_wait_timeout: 500ms }");

        assertThat(limits.maxBufferedBytes()).isEqualTo(1L << 20);
        assertThat(limits.bufferWaitTimeout()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void refusesABudgetSmallerThanOneRead() {
        assertThatThrownBy(() -> limits("limits: { max_buffered_bytes: 8kB }"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("max_buffered_bytes")
                .hasMessageContaining("at least 64kB");
    }
}
