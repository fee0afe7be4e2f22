package io.pgsplit.health;

import java.util.List;
import java.util.Optional;

/**
 * Immutable snapshot of every configured server, in configuration order. Sessions read it without locks.
 *
 * @param version          increases with every published snapshot
 * @param splitBrain       two or more up servers claim to be primary; no primary is offered then
 * @param readableReplicas up replicas within the lag limits in force when the snapshot was taken, in configuration
 *                         order; it is part of the snapshot because the limits can be reloaded later
 */
public record Topology(long version, List<ServerHealth> servers, boolean splitBrain,
                       List<ServerHealth> readableReplicas) {

    private static final Topology EMPTY = new Topology(0, List.of(), false);

    public Topology {
        servers = List.copyOf(servers);
        readableReplicas = List.copyOf(readableReplicas);
    }

    /** A snapshot without lag limits: every up replica is readable. */
    public Topology(long version, List<ServerHealth> servers, boolean splitBrain) {
        this(version, servers, splitBrain, servers.stream().filter(ServerHealth::isReplica).toList());
    }

    public static Topology empty() {
        return EMPTY;
    }

    /** The single up primary; empty when there is none, or more than one (split brain). */
    public Optional<ServerHealth> primary() {
        if (splitBrain) {
            return Optional.empty();
        }
        List<ServerHealth> primaries = servers.stream().filter(ServerHealth::isPrimary).toList();
        return primaries.size() == 1 ? Optional.of(primaries.get(0)) : Optional.empty();
    }

    public Optional<ServerHealth> server(String name) {
        return servers.stream().filter(server -> server.name().equals(name)).findFirst();
    }
}
