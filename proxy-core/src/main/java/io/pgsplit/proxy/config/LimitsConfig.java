package io.pgsplit.proxy.config;

import java.time.Duration;
import java.util.Objects;

/**
 * @param maxMessageSize       largest protocol message accepted from a client or backend, in bytes
 * @param maxClientConnections client connections beyond this are refused
 * @param connectTimeout       limit for connecting to and authenticating with a backend
 */
public record LimitsConfig(int maxMessageSize, int maxClientConnections, Duration connectTimeout) {

    public LimitsConfig {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
    }
}
