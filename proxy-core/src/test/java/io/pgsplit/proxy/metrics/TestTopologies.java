package io.pgsplit.proxy.metrics;

import io.pgsplit.health.Role;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.health.ServerHealth;
import io.pgsplit.health.Topology;
import java.time.Instant;
import java.util.List;

/** Hand-made topology snapshots, as the health monitor would publish them, for tests without servers. */
public final class TestTopologies {
    private static final Instant PROBED = Instant.parse("2025-01-01T00:00:00Z");

    private TestTopologies() {
    }

    public static ServerHealth primary(String name) {
        return new ServerHealth(address(name), true, Role.PRIMARY, 0x3_0000_0148L, -1, -1, 1, PROBED, null);
    }

    public static ServerHealth replica(String name, long lagBytes, double lagSeconds) {
        return new ServerHealth(address(name), true, Role.REPLICA, 0x3_0000_0100L, lagBytes, lagSeconds, 1, PROBED,
                null);
    }

    /** Down after having been a replica: it keeps the lag of its last good probe, as the monitor does. */
    public static ServerHealth down(String name, String error) {
        return new ServerHealth(address(name), false, Role.REPLICA, 0x3_0000_0100L, 4096, 2.5, 1, PROBED, error);
    }

    public static Topology topology(long version, ServerHealth... servers) {
        return new Topology(version, List.of(servers), false);
    }

    public static Topology splitBrain(long version, ServerHealth... servers) {
        return new Topology(version, List.of(servers), true);
    }

    private static ServerAddress address(String name) {
        return new ServerAddress(name, "127.0.0.1", 25431 + Integer.parseInt(name.substring(2)));
    }
}
