package io.pgsplit.proxy.session;

import io.pgsplit.health.Role;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.health.ServerHealth;
import io.pgsplit.health.Topology;
import io.pgsplit.protocol.SqlState;
import io.pgsplit.proxy.balance.ReplicaSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides the server for a segment from a topology snapshot and a requirement. Of the session it
 * remembers only the replica its last read got, which {@code replica_affinity: session} keeps.
 *
 * <p>Anything that needs the primary goes there, or is refused when no single primary is known;
 * reads go to a replica within the lag limits and in rotation (weight above 0), chosen by the
 * {@link ReplicaSelector}'s policy, and to the primary when there is none.
 */
final class RoutePlanner {
    static final String REASON_NO_REPLICA = "no_replica";
    /** Every replica may serve: no fence to respect. */
    static final Predicate<ServerHealth> ALL = replica -> true;

    private final ReplicaSelector selector;

    /**
     * The routes given lately, handed out again when one says the same: a session repeating reads over a few
     * servers allocates none. Records, so sharing them is safe; this planner is its session's alone.
     */
    private final Route.ToServer[] recent = new Route.ToServer[4];
    private int nextRecent;
    /** The replica this session's last read was given: the one session affinity keeps. */
    private String sessionReplica;

    RoutePlanner(ReplicaSelector selector) {
        this.selector = selector;
    }

    Route plan(Requirement requirement, Topology topology, Set<String> failedServers) {
        return plan(requirement, topology, failedServers, ALL);
    }

    /** @param caughtUp which replicas may serve this session's reads (read-your-writes: those past its fence) */
    Route plan(Requirement requirement, Topology topology, Set<String> failedServers, Predicate<ServerHealth> caughtUp) {
        return switch (requirement.need()) {
            case PRIMARY -> toPrimary(topology, failedServers, requirement.reason());
            case READ -> toReplica(topology, failedServers, requirement.reason(), caughtUp, true);
            case ANY -> toAny(topology, failedServers, requirement.reason());
        };
    }

    /** The route {@link #plan} would give now, without taking a replica's turn (EXPLAIN (ROUTE)). */
    Route preview(Requirement requirement, Topology topology, Predicate<ServerHealth> caughtUp) {
        return requirement.need() == Requirement.Need.READ
                ? toReplica(topology, Set.of(), requirement.reason(), caughtUp, false)
                : plan(requirement, topology, Set.of(), caughtUp);
    }

    /** True when some readable replica (not failed for this segment) satisfies {@code caughtUp}. */
    boolean anyReplica(Topology topology, Set<String> failedServers, Predicate<ServerHealth> caughtUp) {
        return eligibleReplicas(topology, failedServers, caughtUp).size() > 0;
    }

    /**
     * The route to {@code server} if it meets the requirement now, so work can be pipelined on a
     * server that is still answering earlier requests instead of waiting for it to finish.
     */
    Optional<Route.ToServer> keep(String server, Requirement requirement, Topology topology, Predicate<ServerHealth> caughtUp) {
        boolean isPrimary = topology.primary().map(p -> p.name().equals(server)).orElse(false);
        if (isPrimary && requirement.need() != Requirement.Need.READ) {
            return Optional.of(toServer(topology.primary().get().address(), Role.PRIMARY, requirement.reason()));
        }
        if (requirement.need() == Requirement.Need.PRIMARY) {
            return Optional.empty();
        }
        for (ServerHealth replica : topology.readableReplicas()) {
            if (replica.name().equals(server) && selector.inRotation(server) && caughtUp.test(replica)) {
                return Optional.of(toServer(replica.address(), Role.REPLICA, requirement.reason()));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a server chosen before a wait for its connection still has the role it was chosen
     * for: a primary that was demoted meanwhile (failover, split brain) must not get the write,
     * and a replica that went down or was promoted must not get the read.
     */
    boolean stillHolds(Route.ToServer chosen, Topology topology) {
        String name = chosen.server().name();
        if (chosen.role() == Role.PRIMARY) {
            return topology.primary().map(primary -> primary.name().equals(name)).orElse(false);
        }
        for (ServerHealth replica : topology.readableReplicas()) {
            if (replica.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private Route toPrimary(Topology topology, Set<String> failedServers, String reason) {
        Optional<ServerHealth> primary = topology.primary();
        if (primary.isEmpty()) {
            String why = topology.splitBrain()
                    ? "more than one server claims to be the primary (split brain)"
                    : "no server is known to be the primary";
            return new Route.Refuse(SqlState.CANNOT_CONNECT_NOW, "pgsplit: writes are refused: " + why, reason);
        }
        if (failedServers.contains(primary.get().name())) {
            return new Route.Refuse(SqlState.CONNECTION_FAILURE,
                    "pgsplit: could not connect to the primary " + primary.get().name(), reason);
        }
        return toServer(primary.get().address(), Role.PRIMARY, reason);
    }

    private Route toReplica(Topology topology, Set<String> failedServers, String reason, Predicate<ServerHealth> caughtUp,
                            boolean takeTurn) {
        List<ServerHealth> replicas = eligibleReplicas(topology, failedServers, caughtUp);
        ServerHealth chosen = takeTurn ? selector.choose(replicas, sessionReplica) : selector.peek(replicas, sessionReplica);
        if (chosen != null) {
            if (takeTurn) {
                sessionReplica = chosen.name();
            }
            return toServer(chosen.address(), Role.REPLICA, reason);
        }
        Optional<ServerHealth> primary = topology.primary().filter(p -> !failedServers.contains(p.name()));
        if (primary.isPresent()) {
            return toServer(primary.get().address(), Role.PRIMARY, REASON_NO_REPLICA);
        }
        return new Route.Refuse(SqlState.CONNECTION_FAILURE,
                "pgsplit: no server is available for reads" + failedSuffix(failedServers), REASON_NO_REPLICA);
    }

    /** Segments with no statement: the primary first, as its connection usually exists already. */
    private Route toAny(Topology topology, Set<String> failedServers, String reason) {
        Optional<ServerHealth> primary = topology.primary().filter(p -> !failedServers.contains(p.name()));
        if (primary.isPresent()) {
            return toServer(primary.get().address(), Role.PRIMARY, reason);
        }
        List<ServerHealth> replicas = eligibleReplicas(topology, failedServers, ALL);
        if (!replicas.isEmpty()) {
            return toServer(replicas.get(0).address(), Role.REPLICA, reason);
        }
        return new Route.Refuse(SqlState.CONNECTION_FAILURE, "pgsplit: no server is available" + failedSuffix(failedServers), reason);
    }

    /** Readable replicas in rotation that may serve; the common case (nothing to filter) allocates nothing. */
    private List<ServerHealth> eligibleReplicas(Topology topology, Set<String> failedServers,
                                                Predicate<ServerHealth> caughtUp) {
        List<ServerHealth> readable = topology.readableReplicas();
        if (failedServers.isEmpty() && caughtUp == ALL && allInRotation(readable)) {
            return readable;
        }
        List<ServerHealth> left = new ArrayList<>(readable.size());
        for (ServerHealth replica : readable) {
            if (!failedServers.contains(replica.name()) && selector.inRotation(replica.name()) && caughtUp.test(replica)) {
                left.add(replica);
            }
        }
        return left;
    }

    private boolean allInRotation(List<ServerHealth> replicas) {
        for (int i = 0; i < replicas.size(); i++) {
            if (!selector.inRotation(replicas.get(i).name())) {
                return false;
            }
        }
        return true;
    }

    private static String failedSuffix(Set<String> failedServers) {
        return failedServers.isEmpty() ? "" : " (could not connect to " + String.join(", ", failedServers) + ")";
    }

    private Route.ToServer toServer(ServerAddress server, Role role, String reason) {
        for (Route.ToServer route : recent) {
            if (route != null && route.role() == role && route.server().equals(server) && route.reason().equals(reason)) {
                return route;
            }
        }
        Route.ToServer route = new Route.ToServer(server, role, reason);
        recent[nextRecent] = route;
        nextRecent = (nextRecent + 1) & (recent.length - 1);
        return route;
    }
}
