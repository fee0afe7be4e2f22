package io.pgsplit.proxy.metrics;

/**
 * A server's connections at one moment: running a request, waiting for one, (pooled connections
 * only) kept by a client between requests because it holds state that cannot be shared, and being
 * opened (started, not yet ready for a request).
 */
public record ConnectionCounts(int active, int idle, int pinned, int opening) {
    public static final ConnectionCounts NONE = new ConnectionCounts(0, 0, 0, 0);

    public ConnectionCounts(int active, int idle) {
        this(active, idle, 0, 0);
    }
}
