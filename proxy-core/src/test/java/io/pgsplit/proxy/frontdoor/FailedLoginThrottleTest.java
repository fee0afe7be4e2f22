package io.pgsplit.proxy.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailedLoginThrottleTest {
    private final AtomicLong now = new AtomicLong();
    private final FailedLoginThrottle throttle = new FailedLoginThrottle(now::get);

    private static InetSocketAddress client(String host, int port) {
        return new InetSocketAddress(host, port);
    }

    @Test
    void eachFailureFromAnAddressWaitsTwiceAsLongUpToTwoSeconds() {
        InetSocketAddress guesser = client("192.0.2.7", 40000);

        assertThat(throttle.failed(guesser)).isEqualTo(Duration.ofMillis(100));
        assertThat(throttle.failed(guesser)).isEqualTo(Duration.ofMillis(200));
        assertThat(throttle.failed(guesser)).isEqualTo(Duration.ofMillis(400));
        assertThat(throttle.failed(guesser)).isEqualTo(Duration.ofMillis(800));
        assertThat(throttle.failed(guesser)).isEqualTo(Duration.ofMillis(1600));
        for (int i = 0; i < 100; i++) {
            assertThat(throttle.failed(guesser)).isEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    void theSourceIsTheAddressNotTheConnection() {
        throttle.failed(client("192.0.2.7", 40000));

        assertThat(throttle.failed(client("192.0.2.7", 40001))).isEqualTo(Duration.ofMillis(200));
        assertThat(throttle.failed(client("192.0.2.8", 40000))).as("another address").isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void anIpv6HostIsItsSlash64() {
        throttle.failed(client("2001:db8:0:1::1", 5432));

        assertThat(throttle.failures(client("2001:db8:0:1:ffff::2", 5432))).isEqualTo(1);
        assertThat(throttle.failures(client("2001:db8:0:2::1", 5432))).isZero();
    }

    @Test
    void failuresAreForgottenTenMinutesAfterTheLast() {
        InetSocketAddress guesser = client("192.0.2.7", 40000);
        throttle.failed(guesser);
        throttle.failed(guesser);

        now.addAndGet(FailedLoginThrottle.MEMORY.toNanos() + 1);

        assertThat(throttle.failures(guesser)).isZero();
        assertThat(throttle.failed(guesser)).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void connectionsWithoutAnIpAddressAreNotDelayed() {
        assertThat(throttle.failed(new io.netty.channel.local.LocalAddress("test"))).isZero();
    }
}
