package io.pgsplit.health;

/** Told the round-trip time of every successful health probe, on a health thread; must return quickly. */
@FunctionalInterface
public interface ProbeLatencyListener {

    void probed(String serverName, long roundTripNanos);
}
