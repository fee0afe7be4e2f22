package io.pgsplit.proxy.admin;

import io.pgsplit.health.Topology;

/**
 * Whether the proxy can serve writes: exactly one primary is known. Load balancers and orchestrators
 * take a proxy out of rotation on it, so the reason says which of the two failures it is.
 */
record Readiness(boolean ready, String reason) {
    static final Readiness DRAINING = new Readiness(false, "shutting down");

    static Readiness of(Topology topology) {
        if (topology.splitBrain()) {
            return new Readiness(false, "split brain: more than one server claims to be the primary");
        }
        return topology.primary()
                .map(primary -> new Readiness(true, "primary is " + primary.name()))
                .orElseGet(() -> new Readiness(false, "no primary"));
    }
}
