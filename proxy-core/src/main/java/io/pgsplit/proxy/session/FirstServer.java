package io.pgsplit.proxy.session;

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
    private FirstServer() {
    }

    /**
     * The primary, or with none known a pooled replica. A pooled connection reports neutral values
     * (it started with user and database only), so the client's own startup values are reported
     * where it gave them; the connection goes back to its pool at once.
     */
    static CompletableFuture<Map<String, String>> open(RoutePlanner planner, ConnectionLeases leases, Topology topology,
                                                       Map<String, String> startupParameters) {
        Route route = planner.plan(Requirement.FIRST_CONNECTION, topology, Set.of());
        if (route instanceof Route.Refuse refuse) {
            return CompletableFuture.failedFuture(new BackendStartupException(refuse.message(), (Throwable) null));
        }
        Route.ToServer target = (Route.ToServer) route;
        return leases.open(target.server(), target.role()).thenApply(first -> {
            Map<String, String> parameters = new LinkedHashMap<>(first.connection().parameters());
            if (first.lifetime() == Lease.Lifetime.POOLED) {
                parameters.replaceAll((name, value) -> clientValue(startupParameters, name, value));
                leases.release(first);
            }
            return parameters;
        });
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
