package io.pgsplit.health;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable snapshot of every configured server, in configuration order. Sessions read it without
 * locks, on every request, so what they ask for (the primary) is worked out once, here.
 */
public final class Topology {

    private static final Topology EMPTY = new Topology(0, List.of(), false);

    private final long version;
    private final List<ServerHealth> servers;
    private final boolean splitBrain;
    private final List<ServerHealth> readableReplicas;
    private final Optional<ServerHealth> primary;

    /**
     * @param version          increases with every published snapshot
     * @param splitBrain       two or more up servers claim to be primary; no primary is offered then
     * @param readableReplicas up replicas within the lag limits in force when the snapshot was taken, in
     *                         configuration order; it is part of the snapshot because the limits can be reloaded later
     */
    public Topology(long version, List<ServerHealth> servers, boolean splitBrain, List<ServerHealth> readableReplicas) {
        this.version = version;
        this.servers = List.copyOf(servers);
        this.splitBrain = splitBrain;
        this.readableReplicas = List.copyOf(readableReplicas);
        this.primary = splitBrain ? Optional.empty() : singlePrimary(this.servers);
    }

    /** A snapshot without lag limits: every up replica is readable. */
    public Topology(long version, List<ServerHealth> servers, boolean splitBrain) {
        this(version, servers, splitBrain, servers.stream().filter(ServerHealth::isReplica).toList());
    }

    public static Topology empty() {
        return EMPTY;
    }

    public long version() {
        return version;
    }

    public List<ServerHealth> servers() {
        return servers;
    }

    public boolean splitBrain() {
        return splitBrain;
    }

    public List<ServerHealth> readableReplicas() {
        return readableReplicas;
    }

    /** The single up primary; empty when there is none, or more than one (split brain). */
    public Optional<ServerHealth> primary() {
        return primary;
    }

    public Optional<ServerHealth> server(String name) {
        for (ServerHealth server : servers) {
            if (server.name().equals(name)) {
                return Optional.of(server);
            }
        }
        return Optional.empty();
    }

    private static Optional<ServerHealth> singlePrimary(List<ServerHealth> servers) {
        ServerHealth found = null;
        for (ServerHealth server : servers) {
            if (server.isPrimary()) {
                if (found != null) {
                    return Optional.empty();
                }
                found = server;
            }
        }
        return Optional.ofNullable(found);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Topology that && version == that.version && splitBrain == that.splitBrain
                && servers.equals(that.servers) && readableReplicas.equals(that.readableReplicas);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, servers, splitBrain, readableReplicas);
    }

    @Override
    public String toString() {
        return "Topology[version=" + version + ", servers=" + servers + ", splitBrain=" + splitBrain
                + ", readableReplicas=" + readableReplicas + "]";
    }
}
