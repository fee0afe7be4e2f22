package io.pgsplit.proxy.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * @param maxMessageSize       largest protocol message accepted from a client or backend, in bytes
 * @param maxClientConnections authenticated clients beyond this are refused (53300); connections still
 *                             logging in do not count, they have {@code maxPendingLogins}
 * @param connectTimeout       limit for connecting to and authenticating with a backend
 * @param loginTimeout         a client that has not finished startup and authentication by then is closed
 * @param clientIdleTimeout    an authenticated client idle (nothing in flight, no transaction) this long is
 *                             closed with 57P05; empty: never
 * @param maxPendingLogins     connections not yet authenticated; beyond this the oldest of them is closed
 * @param reservedConnections  of {@code maxClientConnections}, the slots only admin users ({@code users[].admin}) get
 * @param maxBufferedBytes     all sessions together buffer at most this much of client requests still arriving
 *                             (see {@code BufferBudget})
 * @param bufferWaitTimeout    a session paused for room in {@code maxBufferedBytes} this long is refused with 53200
 */
public record LimitsConfig(int maxMessageSize, int maxClientConnections, Duration connectTimeout, Duration loginTimeout,
                           Optional<Duration> clientIdleTimeout, int maxPendingLogins, int reservedConnections,
                           long maxBufferedBytes, Duration bufferWaitTimeout) {
    public static final Duration DEFAULT_LOGIN_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_PENDING_LOGINS = 100;
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 256L << 20;
    public static final Duration DEFAULT_BUFFER_WAIT_TIMEOUT = Duration.ofSeconds(30);

    public LimitsConfig {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(loginTimeout, "loginTimeout");
        Objects.requireNonNull(clientIdleTimeout, "clientIdleTimeout");
        Objects.requireNonNull(bufferWaitTimeout, "bufferWaitTimeout");
    }

    /** With the buffer budget at its defaults. */
    public LimitsConfig(int maxMessageSize, int maxClientConnections, Duration connectTimeout, Duration loginTimeout,
                        Optional<Duration> clientIdleTimeout, int maxPendingLogins, int reservedConnections) {
        this(maxMessageSize, maxClientConnections, connectTimeout, loginTimeout, clientIdleTimeout, maxPendingLogins,
                reservedConnections, DEFAULT_MAX_BUFFERED_BYTES, DEFAULT_BUFFER_WAIT_TIMEOUT);
    }

    /** The front-door limits at their defaults, no slots reserved. */
    public LimitsConfig(int maxMessageSize, int maxClientConnections, Duration connectTimeout) {
        this(maxMessageSize, maxClientConnections, connectTimeout, DEFAULT_LOGIN_TIMEOUT, Optional.empty(),
                DEFAULT_MAX_PENDING_LOGINS, 0);
    }
}
