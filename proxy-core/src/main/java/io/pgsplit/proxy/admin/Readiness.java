package io.pgsplit.proxy.admin;

import io.pgsplit.health.Topology;
import io.pgsplit.proxy.frontdoor.FrontDoorStatus;

/**
 * Whether the proxy can take new clients and serve their writes: exactly one primary is known and no
 * front-door limit keeps new clients out. Load balancers and orchestrators take a proxy out of
 * rotation on it, so the reason says which failure it is.
 */
record Readiness(boolean ready, String reason) {
    static final Readiness DRAINING = new Readiness(false, "shutting down");

    static Readiness of(Topology topology) {
        return of(topology, FrontDoorStatus.UNKNOWN);
    }

    static Readiness of(Topology topology, FrontDoorStatus frontDoor) {
        if (topology.splitBrain()) {
            return new Readiness(false, "split brain: more than one server claims to be the primary");
        }
        if (frontDoor.keepsClientsOut()) {
            return new Readiness(false, "new clients cannot get in: " + frontDoor.reason());
        }
        return topology.primary()
                .map(primary -> new Readiness(true, "primary is " + primary.name()))
                .orElseGet(() -> new Readiness(false, "no primary"));
    }
}
