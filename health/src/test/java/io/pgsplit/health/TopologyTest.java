package io.pgsplit.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class TopologyTest {

    @Test
    void emptyTopologyHasNoServersAndNoPrimary() {
        Topology empty = Topology.empty();

        assertThat(empty.version()).isZero();
        assertThat(empty.servers()).isEmpty();
        assertThat(empty.primary()).isEmpty();
        assertThat(empty.readableReplicas()).isEmpty();
    }

    @Test
    void snapshotWithoutLagLimitsOffersEveryUpReplicaForReads() {
        ServerHealth pg1 = health("pg1", true, Role.PRIMARY);
        ServerHealth pg2 = health("pg2", true, Role.REPLICA);
        ServerHealth pg3 = health("pg3", false, Role.REPLICA);

        Topology topology = new Topology(3, List.of(pg1, pg2, pg3), false);

        assertThat(topology.primary()).contains(pg1);
        assertThat(topology.readableReplicas()).containsExactly(pg2);
        assertThat(topology.server("pg3")).contains(pg3);
        assertThat(topology.server("pg9")).isEmpty();
    }

    @Test
    void splitBrainFlagHidesThePrimary() {
        Topology topology = new Topology(1, List.of(health("pg1", true, Role.PRIMARY)), true);

        assertThat(topology.primary()).isEmpty();
    }

    @Test
    void snapshotCannotBeChangedThroughTheListItWasBuiltFrom() {
        List<ServerHealth> servers = new ArrayList<>(List.of(health("pg1", true, Role.PRIMARY)));
        Topology topology = new Topology(1, servers, false);
        servers.clear();

        assertThat(topology.servers()).hasSize(1);
    }

    private static ServerHealth health(String name, boolean up, Role role) {
        return new ServerHealth(new ServerAddress(name, "127.0.0.1", 5432), up, role, 0, 0, 0, 1, Instant.EPOCH, null);
    }
}
