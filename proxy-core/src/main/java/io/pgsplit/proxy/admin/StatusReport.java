package io.pgsplit.proxy.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pgsplit.health.ServerHealth;
import io.pgsplit.health.Topology;
import io.pgsplit.proxy.catalog.CatalogStatus;
import io.pgsplit.proxy.frontdoor.FrontDoorStatus;
import io.pgsplit.proxy.metrics.ConnectionCounts;
import io.pgsplit.proxy.metrics.PoolStatus;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import io.pgsplit.proxy.metrics.ReplicaLag;
import io.pgsplit.proxy.metrics.RouteCount;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What {@code GET /status} answers and the status page shows: every server as the health monitor
 * last saw it, with this proxy's connections to it, and the routing counters. Unknown values
 * (a down server's lag, a position never read) are null rather than a number that could be taken
 * for a real one.
 *
 * @param primary   the single up primary; null when there is none or during split brain
 * @param process   version, uptime, configuration file, last reload
 * @param frontDoor the client limits and which of them keep new clients out now
 */
record StatusReport(List<ServerStatus> servers, boolean splitBrain, String primary, int clients,
                    List<RouteCount> routing, long topologyVersion, String replicaPolicy,
                    String replicaAffinity, List<CatalogStatus> catalogs, ProcessStatus process, FrontDoorStatus frontDoor) {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    /**
     * @param readable whether the server gets reads now: an up replica within the lag limits
     * @param walLsn   in PostgreSQL's text form, e.g. {@code 0/3000148}
     * @param replica  its weight, reads in flight and recent latency, as the replica policy sees them
     */
    record ServerStatus(String name, String host, int port, boolean up, String role, boolean readable,
                        Long lagBytes, Double lagSeconds, String walLsn, String lastError,
                        ConnectionCounts connections, List<PoolStatus> pools, RoutingState.ReplicaState replica) {
    }

    static StatusReport capture(Topology topology, ProxyMetrics metrics) {
        return capture(topology, metrics, RoutingState.NONE);
    }

    static StatusReport capture(Topology topology, ProxyMetrics metrics, RoutingState routing) {
        return capture(topology, metrics, routing, ProcessStatus.UNKNOWN, FrontDoorStatus.UNKNOWN);
    }

    static StatusReport capture(Topology topology, ProxyMetrics metrics, RoutingState routing, ProcessStatus process,
                                FrontDoorStatus frontDoor) {
        List<ServerStatus> servers = topology.servers().stream()
                .map(server -> serverStatus(server, topology, metrics, routing))
                .toList();
        return new StatusReport(servers, topology.splitBrain(), topology.primary().map(ServerHealth::name).orElse(null),
                metrics.clientConnections(), metrics.routeCounts(), topology.version(), routing.replicaPolicy(),
                routing.replicaAffinity(), routing.catalogs(), process, frontDoor);
    }

    private static ServerStatus serverStatus(ServerHealth server, Topology topology, ProxyMetrics metrics,
                                             RoutingState routing) {
        return new ServerStatus(server.name(), server.address().host(), server.address().port(), server.up(),
                ProxyMetrics.label(server.role()), topology.readableReplicas().contains(server),
                orNull(ReplicaLag.bytes(server)), orNull(ReplicaLag.seconds(server)),
                server.walLsn() < 0 ? null : lsnText(server.walLsn()),
                server.lastError(), metrics.serverConnections(server.name()), metrics.pools(server.name()),
                routing.replica(server.name()));
    }

    private static Long orNull(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }

    private static Double orNull(OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : null;
    }

    /** The high and low 32 bits in hex, as {@code pg_current_wal_lsn()} prints them. */
    static String lsnText(long lsn) {
        return String.format(Locale.ROOT, "%X/%X", lsn >>> 32, lsn & 0xFFFF_FFFFL);
    }

    String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // records of strings and numbers always serialise
        }
    }
}
