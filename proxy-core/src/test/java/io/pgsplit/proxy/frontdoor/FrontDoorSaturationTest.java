package io.pgsplit.proxy.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.pgsplit.proxy.config.LimitsConfig;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code pgsplit_front_door_saturated{limit}} and the status behind {@code /ready}, from the front door's own counts. */
class FrontDoorSaturationTest {
    private static final LimitsConfig LIMITS = new LimitsConfig(64 << 20, 3, Duration.ofSeconds(5),
            Duration.ofSeconds(10), Optional.empty(), 2, 1);
    private final ProxyMetrics metrics = new ProxyMetrics();
    private final FrontDoor door = new FrontDoor(() -> LIMITS, metrics);
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        metrics.close();
    }

    @Test
    void clientLimitIsSaturatedOnceEverySlotOutsideTheAdminReserveIsTaken() {
        assertThat(saturated("max_client_connections")).isZero();
        assertThat(door.slots().take(false, LIMITS)).isNull();
        assertThat(door.status().keepsClientsOut()).isFalse();

        assertThat(door.slots().take(false, LIMITS)).isNull(); // 2 of 3, the third reserved for admins

        assertThat(saturated("max_client_connections")).isEqualTo(1);
        assertThat(door.status().saturated()).containsExactly("max_client_connections");
        assertThat(door.status().reason()).isEqualTo(
                "limits.max_client_connections reached: 2 of 3 clients (1 reserved for admin users)");
        door.slots().release();
        assertThat(saturated("max_client_connections")).isZero();
        assertThat(door.status().reason()).isNull();
    }

    @Test
    void pendingLoginLimitIsSaturatedWhileThePendingLoginsAreAtTheirBound() {
        door.begin(channel());
        assertThat(saturated("max_pending_logins")).isZero();

        door.begin(channel());

        assertThat(saturated("max_pending_logins")).isEqualTo(1);
        assertThat(door.status().saturated()).containsExactly("max_pending_logins");
        channels.get(0).close();
        assertThat(saturated("max_pending_logins")).isZero();
    }

    private EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channels.add(channel);
        return channel;
    }

    private double saturated(String limit) {
        return metrics.registry().get("pgsplit.front.door.saturated").tag("limit", limit).gauge().value();
    }
}
