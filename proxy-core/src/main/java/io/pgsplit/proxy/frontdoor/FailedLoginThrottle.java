package io.pgsplit.proxy.frontdoor;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Slows password guessing from one source: each failed login from an address makes its 28P01 wait
 * longer (100 ms, doubling, at most 2 s), counted over the failures of the last 10 minutes. A
 * successful login is never delayed, so real clients do not notice; a guesser that waits for each
 * verdict gets at most one every 2 s per connection, and its connections are pending logins, bounded
 * by {@code max_pending_logins}. Like PostgreSQL's auth_delay it cannot slow a client that hangs up
 * before the verdict: against that, SCRAM makes every guess cost the guesser 4096 PBKDF2 rounds.
 *
 * <p>Sources are IPv4 addresses and IPv6 /64 prefixes (one host's usual share). Memory is bounded: at
 * most {@value #MAX_SOURCES} sources are remembered, and Caffeine's frequency-aware eviction keeps the
 * persistent offenders when a spray of addresses overflows it. Thread-safe.
 */
final class FailedLoginThrottle {
    static final Duration FIRST_DELAY = Duration.ofMillis(100);
    static final Duration MAX_DELAY = Duration.ofSeconds(2);
    static final Duration MEMORY = Duration.ofMinutes(10);
    static final int MAX_SOURCES = 10_000;

    private final Cache<Object, Integer> failures;

    FailedLoginThrottle(Ticker ticker) {
        this.failures = Caffeine.newBuilder().maximumSize(MAX_SOURCES).expireAfterWrite(MEMORY).ticker(ticker).build();
    }

    /** Counts a failed login from {@code client} and returns how long its answer waits. */
    Duration failed(SocketAddress client) {
        Object source = sourceOf(client);
        if (source == null) {
            return Duration.ZERO; // not an IP connection (tests, local channels): nothing to key on
        }
        int count = failures.asMap().merge(source, 1, Integer::sum);
        return delayAfter(count);
    }

    /** Failures from this source within the memory window. */
    int failures(SocketAddress client) {
        Object source = sourceOf(client);
        Integer count = source == null ? null : failures.getIfPresent(source);
        return count == null ? 0 : count;
    }

    static Duration delayAfter(int failures) {
        int doublings = Math.min(failures - 1, 16);
        return Duration.ofMillis(Math.min(MAX_DELAY.toMillis(), FIRST_DELAY.toMillis() << doublings));
    }

    private static Object sourceOf(SocketAddress client) {
        if (!(client instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return null;
        }
        InetAddress address = inet.getAddress();
        if (address instanceof Inet6Address) {
            return new Ipv6Prefix(ByteBuffer.wrap(address.getAddress()).getLong()); // the /64 a host usually has
        }
        return address;
    }

    private record Ipv6Prefix(long high64) {
    }
}
