package io.pgsplit.proxy.admin;

import io.pgsplit.proxy.balance.ReplicaSelector;
import io.pgsplit.proxy.catalog.CatalogRegistry;
import io.pgsplit.proxy.catalog.CatalogStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How reads pick replicas and what the routing catalogs know, for {@code /status}.
 *
 * @param replicaPolicy   {@code routing.replica_policy}
 * @param replicaAffinity {@code routing.replica_affinity}
 * @param replicas      per server: its weight, the reads in flight on it, its recent latency
 * @param catalogs      one entry per database the proxy has a routing catalog for
 */
public record RoutingState(String replicaPolicy, String replicaAffinity, Map<String, ReplicaState> replicas,
                           List<CatalogStatus> catalogs) {

    public static final RoutingState NONE = new RoutingState(null, null, Map.of(), List.of());

    /** @param latencyMs null before the first sample */
    public record ReplicaState(int weight, int readsInFlight, Double latencyMs) {
    }

    public RoutingState {
        replicas = Map.copyOf(replicas);
        catalogs = List.copyOf(catalogs);
    }

    public static RoutingState capture(ReplicaSelector selector, List<String> servers, CatalogRegistry catalogs) {
        Map<String, ReplicaState> replicas = new HashMap<>();
        for (String server : servers) {
            long latency = selector.load().latencyNanos(server);
            replicas.put(server, new ReplicaState(selector.weight(server), selector.load().inFlight(server),
                    latency < 0 ? null : latency / 1e6));
        }
        return new RoutingState(selector.policy().configName(), selector.affinity().configName(), replicas,
                catalogs.status());
    }

    ReplicaState replica(String server) {
        return replicas.get(server);
    }
}
