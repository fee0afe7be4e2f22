package io.pgsplit.proxy.config;

import java.util.Objects;

/** A listen or connect address. Port 0 is allowed so tests can ask the OS for a free port. */
public record HostPort(String host, int port) {

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
    }

    /** Parses {@code host:port}, or {@code [ipv6]:port} for IPv6 literals. */
    public static HostPort parse(String text) {
        String trimmed = text.trim();
        if (trimmed.startsWith("[")) {
            int close = trimmed.indexOf("]:");
            if (close < 0) {
                throw new IllegalArgumentException("must be [address]:port (got '" + text + "')");
            }
            return new HostPort(trimmed.substring(1, close), parsePort(trimmed.substring(close + 2), text));
        }
        int colon = trimmed.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("must be host:port (got '" + text + "')");
        }
        String host = trimmed.substring(0, colon);
        if (host.contains(":")) {
            throw new IllegalArgumentException("an IPv6 address must be written as [address]:port (got '" + text + "')");
        }
        return new HostPort(host, parsePort(trimmed.substring(colon + 1), text));
    }

    private static int parsePort(String digits, String text) {
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9') || digits.length() > 5) {
            throw new IllegalArgumentException("port must be a number between 0 and 65535 (got '" + text + "')");
        }
        return Integer.parseInt(digits);
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
