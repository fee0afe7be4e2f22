package io.pgsplit.proxy.metrics;

/** A server's open connections at one moment: running a request, and waiting for one. */
public record ConnectionCounts(int active, int idle) {
    public static final ConnectionCounts NONE = new ConnectionCounts(0, 0);
}
