package io.pgsplit.proxy.metrics;

import io.pgsplit.health.ServerHealth;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Replica lag as pgsplit reports it, in metrics and in the status report: 0 for an up primary, and unknown
 * (empty) while the server is down or not probed yet, or when the replica could not measure it. A down
 * server's last lag would be stale, and any made-up number would look like a healthy replica.
 */
public final class ReplicaLag {
    private ReplicaLag() {
    }

    public static OptionalLong bytes(ServerHealth server) {
        if (server.isPrimary()) {
            return OptionalLong.of(0);
        }
        return server.isReplica() && server.lagBytes() >= 0 ? OptionalLong.of(server.lagBytes()) : OptionalLong.empty();
    }

    public static OptionalDouble seconds(ServerHealth server) {
        if (server.isPrimary()) {
            return OptionalDouble.of(0);
        }
        return server.isReplica() && server.lagSeconds() >= 0
                ? OptionalDouble.of(server.lagSeconds())
                : OptionalDouble.empty();
    }
}
