package io.pgsplit.proxy.session;

import io.pgsplit.health.Role;
import io.pgsplit.health.Topology;
import io.pgsplit.proxy.backend.BackendStartupException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The session's first server connection, made before the client's ReadyForQuery: its
 * ParameterStatus values are what the client is told, and its refusal (a bad database, say) is the
 * client's error, as from PostgreSQL itself.
 */
final class FirstServer {
    /** Reported as off: clients talk to a read-write endpoint, whichever server answered first (pgjdbc reads it). */
    private static final String IN_HOT_STANDBY = "in_hot_standby";

    private FirstServer() {
    }

    /**
     * The values servers reported to this login before ({@code known}), without any server connection,
     * as PgBouncer does. Else a pooled connection where one will do, so that a client that never writes never holds a primary
     * connection: a replica's (or, in transaction mode, a pooled primary's), given back at once. Only
     * a session-mode client with no replica to read from opens its own primary connection now. A
     * pooled connection started with user and database alone, so the client's own startup values are
     * reported where it gave them.
     */
    static CompletableFuture<Map<String, String>> open(RoutePlanner planner, ConnectionLeases leases, Topology topology,
                                                       Map<String, String> startupParameters, Map<String, String> known) {
        if (known != null) {
            return CompletableFuture.completedFuture(reported(known, startupParameters)); // no server connection needed
        }
        Route route = planner.plan(Requirement.FIRST_CONNECTION, topology, Set.of());
        if (route instanceof Route.Refuse refuse) {
            return CompletableFuture.failedFuture(new BackendStartupException(refuse.message(), (Throwable) null));
        }
        Route.ToServer target = (Route.ToServer) route;
        if (!leases.pooled(target.role())) {
            Route read = planner.plan(Requirement.FIRST_READ, topology, Set.of());
            if (read instanceof Route.ToServer replica && replica.role() == Role.REPLICA) {
                // A replica that refuses must not refuse the client: the primary it would have got answers then.
                return open(leases, replica, startupParameters).exceptionallyCompose(
                        refused -> open(leases, target, startupParameters));
            }
        }
        return open(leases, target, startupParameters);
    }

    private static CompletableFuture<Map<String, String>> open(ConnectionLeases leases, Route.ToServer target,
                                                               Map<String, String> startupParameters) {
        return leases.open(target.server(), target.role()).thenApply(first -> {
            if (first.lifetime() == Lease.Lifetime.POOLED) {
                leases.release(first, false);
                return reported(first.connection().parameters(), startupParameters);
            }
            Map<String, String> parameters = new LinkedHashMap<>(first.connection().parameters());
            parameters.computeIfPresent(IN_HOT_STANDBY, (name, value) -> "off");
            return parameters;
        });
    }

    /** A pooled connection's neutral values, with the client's own startup values where it gave them. */
    private static Map<String, String> reported(Map<String, String> serverValues, Map<String, String> startupParameters) {
        Map<String, String> parameters = new LinkedHashMap<>(serverValues);
        parameters.replaceAll((name, value) -> clientValue(startupParameters, name, value));
        parameters.computeIfPresent(IN_HOT_STANDBY, (name, value) -> "off");
        return parameters;
    }

    private static String clientValue(Map<String, String> startupParameters, String parameter, String serverValue) {
        for (Map.Entry<String, String> given : startupParameters.entrySet()) {
            if (given.getKey().equalsIgnoreCase(parameter)) {
                return given.getValue();
            }
        }
        return serverValue;
    }
}
