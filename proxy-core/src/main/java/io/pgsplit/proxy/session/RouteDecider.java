package io.pgsplit.proxy.session;

import io.pgsplit.health.ServerHealth;
import io.pgsplit.health.Topology;
import io.pgsplit.router.Classification;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides where a request that is not tied to a transaction's server goes. Pure: it reads a
 * topology snapshot, the request and the session phase, and changes nothing, so it can be tested
 * table by table.
 */
final class RouteDecider {
    private final RoutePlanner planner;

    RouteDecider(RoutePlanner planner) {
        this.planner = planner;
    }

    /** What the request needs; a session holding state that cannot be replayed elsewhere is kept on the primary. */
    static Requirement requirement(Segment s, Classification classification, boolean sessionPinned) {
        Requirement requirement = Requirement.of(s, classification);
        if (sessionPinned && requirement.need() != Requirement.Need.PRIMARY) {
            return Requirement.PINNED;
        }
        return requirement;
    }

    /**
     * @param replicas which replicas may serve this read now (read-your-writes, pool room)
     * @param phase    IDLE, or SERVING with the lease that still owes replies
     */
    Decision decide(Segment s, Requirement requirement, Predicate<ServerHealth> replicas, SessionPhase phase,
                    Topology topology) {
        if (phase instanceof SessionPhase.Serving serving) {
            Optional<Route.ToServer> keep = planner.keep(serving.lease().serverName(), requirement, topology, replicas);
            return keep.isPresent() ? new Decision.Pipeline(serving.lease(), keep.get()) : Decision.DRAIN;
        }
        RoutingAttempt attempt = s.attemptIfAny();
        if (attempt != null && attempt.chosen != null && planner.stillHolds(attempt.chosen, topology)) {
            return new Decision.Open(attempt.chosen); // the server a connection was opened for keeps its role
        }
        Set<String> failed = attempt == null ? Set.of() : attempt.failedServers;
        Route route = planner.plan(requirement, topology, failed, replicas);
        return route instanceof Route.Refuse refuse ? new Decision.Refuse(refuse) : new Decision.Open((Route.ToServer) route);
    }

    /** After the pool of the replica chosen stayed full: whether another replica has room for the read. */
    boolean anyReplicaWithRoom(Segment s, Predicate<ServerHealth> poolHasRoom, Topology topology) {
        return planner.anyReplica(topology, s.attempt().failedServers, poolHasRoom);
    }
}
