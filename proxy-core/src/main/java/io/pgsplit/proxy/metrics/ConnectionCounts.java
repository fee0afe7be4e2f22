package io.pgsplit.proxy.metrics;

/**
 * A server's open connections at one moment: running a request, waiting for one, and (pooled
 * connections only) kept by a client between requests because it holds state that cannot be shared.
 */
public record ConnectionCounts(int active, int idle, int pinned) {
    public static final ConnectionCounts NONE = new ConnectionCounts(0, 0, 0);

    public ConnectionCounts(int active, int idle) {
        this(active, idle, 0);
    }
}
