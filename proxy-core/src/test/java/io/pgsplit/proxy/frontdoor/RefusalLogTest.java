package io.pgsplit.proxy.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RefusalLogTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 40000);
    private final EmbeddedChannel loop = frozen(new EmbeddedChannel());
    private final ProxyMetrics metrics = new ProxyMetrics();
    private final List<String> lines = new ArrayList<>();
    private final RefusalLog log = new RefusalLog(metrics, loop.eventLoop().ticker(), lines::add);

    private static EmbeddedChannel frozen(EmbeddedChannel channel) {
        channel.freezeTime();
        return channel;
    }

    @AfterEach
    void close() {
        loop.finishAndReleaseAll();
        metrics.close();
    }

    private void refuse(Refusal reason, int times) {
        for (int i = 0; i < times; i++) {
            log.refused(reason, CLIENT, loop.eventLoop());
        }
    }

    private void advanceSeconds(int seconds) {
        loop.advanceTimeBy(seconds, TimeUnit.SECONDS);
        loop.runScheduledPendingTasks();
    }

    @Test
    void theFirstRefusalIsLoggedAtOnceWithItsClient() {
        refuse(Refusal.LOGIN_TIMEOUT, 1);

        assertThat(lines).containsExactly(
                "client /192.0.2.7:40000 refused (login_timeout): canceling authentication due to timeout");
    }

    @Test
    void aFloodIsOneLinePerTenSecondsWithItsCount() {
        refuse(Refusal.MAX_PENDING_LOGINS, 1000);
        assertThat(lines).hasSize(1);

        advanceSeconds(10);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("999 more clients refused (max_pending_logins) in the last 10 s");

        refuse(Refusal.MAX_PENDING_LOGINS, 50);
        advanceSeconds(5);
        assertThat(lines).as("the next window is not over").hasSize(2);
        advanceSeconds(5);
        assertThat(lines.get(2)).startsWith("50 more clients refused (max_pending_logins)");
    }

    @Test
    void eachReasonHasItsOwnWindow() {
        refuse(Refusal.LOGIN_TIMEOUT, 3);
        refuse(Refusal.MAX_CLIENT_CONNECTIONS, 3);

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains("(max_client_connections): sorry, too many clients already");
    }

    @Test
    void aQuietWindowEndsWithoutALineAndTheNextRefusalIsLoggedAtOnce() {
        refuse(Refusal.LOGIN_TIMEOUT, 1);
        advanceSeconds(11);
        assertThat(lines).hasSize(1);

        refuse(Refusal.LOGIN_TIMEOUT, 1);

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("client /192.0.2.7:40000 refused (login_timeout)");
    }

    @Test
    void everyRefusalIsCountedByReason() {
        refuse(Refusal.LOGIN_TIMEOUT, 7);
        refuse(Refusal.RESERVED_CONNECTIONS, 2);

        assertThat(metrics.clientRefusals("login_timeout")).isEqualTo(7);
        assertThat(metrics.clientRefusals("reserved_connections")).isEqualTo(2);
        assertThat(metrics.scrape()).contains("pgsplit_client_refusals_total{reason=\"max_pending_logins\"} 0.0");
    }
}
