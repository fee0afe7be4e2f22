package io.pgsplit.proxy.session;

import io.pgsplit.health.Role;
import io.pgsplit.health.ServerHealth;
import io.pgsplit.health.Topology;
import io.pgsplit.protocol.SqlState;
import io.pgsplit.router.Classification;
import io.pgsplit.router.RoundRobin;
import io.pgsplit.router.StatementKind;
import io.pgsplit.router.TransactionControl;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides the server for a segment that is not tied to a server already (no transaction, no open
 * group). Pure: it reads a topology snapshot and a classification, and holds no session state.
 *
 * <p>Rules: anything that needs the primary goes there or is refused when no single primary is
 * known; reads go round-robin to replicas within the lag limits, and to the primary when there is
 * none. Session settings go to the primary (they are not replayed on other servers yet).
 */
final class RoutePlanner {
    static final String REASON_NO_REPLICA = "no_replica";
    static final String REASON_SESSION = "session";
    static final String REASON_FUNCTION_CALL = "function_call";
    static final String REASON_LARGE_REQUEST = "large_request";
    static final String REASON_NO_SQL = "protocol";

    private final RoundRobin rotation;

    RoutePlanner(RoundRobin rotation) {
        this.rotation = rotation;
    }

    Route plan(Classification classification, Topology topology, Set<String> failedServers) {
        if (classification.requiresPrimary()) {
            return toPrimary(topology, failedServers, classification.reason().label());
        }
        if (classification.kinds().contains(StatementKind.SESSION)) {
            return toPrimary(topology, failedServers, REASON_SESSION);
        }
        String reason = classification.transaction() == TransactionControl.BEGIN_READ_ONLY
                ? io.pgsplit.router.RouteReason.READ_ONLY_TRANSACTION.label()
                : classification.reason().label();
        List<ServerHealth> replicas = eligibleReplicas(topology, failedServers);
        if (!replicas.isEmpty()) {
            return new Route.ToServer(rotation.next(replicas).address(), Role.REPLICA, reason);
        }
        Optional<ServerHealth> primary = topology.primary().filter(p -> !failedServers.contains(p.address().name()));
        if (primary.isPresent()) {
            return new Route.ToServer(primary.get().address(), Role.PRIMARY, REASON_NO_REPLICA);
        }
        return new Route.Refuse(SqlState.CONNECTION_FAILURE,
                "pgsplit: no server is available for reads" + failedSuffix(failedServers), REASON_NO_REPLICA);
    }

    /** Function calls over the protocol, oversized requests: the primary, as for anything unknown. */
    Route toPrimary(Topology topology, Set<String> failedServers, String reason) {
        Optional<ServerHealth> primary = topology.primary();
        if (primary.isEmpty()) {
            String why = topology.splitBrain()
                    ? "more than one server claims to be the primary (split brain)"
                    : "no server is known to be the primary";
            return new Route.Refuse(SqlState.CANNOT_CONNECT_NOW, "pgsplit: writes are refused: " + why, reason);
        }
        if (failedServers.contains(primary.get().address().name())) {
            return new Route.Refuse(SqlState.CONNECTION_FAILURE,
                    "pgsplit: could not connect to the primary " + primary.get().address().name(), reason);
        }
        return new Route.ToServer(primary.get().address(), Role.PRIMARY, reason);
    }

    /** Segments with no statement (a lone Sync, a Close): any server will do, the primary first. */
    Route planWithoutSql(Topology topology, Set<String> failedServers) {
        Optional<ServerHealth> primary = topology.primary().filter(p -> !failedServers.contains(p.address().name()));
        if (primary.isPresent()) {
            return new Route.ToServer(primary.get().address(), Role.PRIMARY, REASON_NO_SQL);
        }
        List<ServerHealth> replicas = eligibleReplicas(topology, failedServers);
        if (!replicas.isEmpty()) {
            return new Route.ToServer(replicas.get(0).address(), Role.REPLICA, REASON_NO_SQL);
        }
        return new Route.Refuse(SqlState.CONNECTION_FAILURE, "pgsplit: no server is available", REASON_NO_SQL);
    }

    private static List<ServerHealth> eligibleReplicas(Topology topology, Set<String> failedServers) {
        List<ServerHealth> readable = topology.readableReplicas();
        if (failedServers.isEmpty()) {
            return readable;
        }
        List<ServerHealth> left = new ArrayList<>(readable.size());
        for (ServerHealth replica : readable) {
            if (!failedServers.contains(replica.address().name())) {
                left.add(replica);
            }
        }
        return left;
    }

    private static String failedSuffix(Set<String> failedServers) {
        return failedServers.isEmpty() ? "" : " (could not connect to " + String.join(", ", failedServers) + ")";
    }
}
