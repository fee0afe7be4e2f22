package io.pgsplit.proxy.balance;

/** What the replica policies measure about a replica. Read on the event loops: must not block or allocate. */
public interface ReplicaLoad {

    /** Reads (groups or read-only transactions) this proxy has in flight on the server now. */
    int inFlight(String server);

    /** Recent round-trip latency of probes and queries in nanoseconds; -1 before the first sample. */
    long latencyNanos(String server);
}
