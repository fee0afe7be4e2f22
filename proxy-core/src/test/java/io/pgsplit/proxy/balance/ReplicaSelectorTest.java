package io.pgsplit.proxy.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.health.Role;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.health.ServerHealth;
import io.pgsplit.proxy.config.ReplicaAffinity;
import io.pgsplit.proxy.config.ReplicaPolicy;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaSelectorTest {
    private static final ServerHealth PG2 = replica("pg2");
    private static final ServerHealth PG3 = replica("pg3");
    private static final List<ServerHealth> BOTH = List.of(PG2, PG3);

    private final Map<String, Integer> inFlight = new HashMap<>();
    private final Map<String, Long> latency = new HashMap<>();
    private final ReplicaLoad load = new ReplicaLoad() {
        @Override
        public int inFlight(String server) {
            return inFlight.getOrDefault(server, 0);
        }

        @Override
        public long latencyNanos(String server) {
            return latency.getOrDefault(server, -1L);
        }
    };

    private static ServerHealth replica(String name) {
        return new ServerHealth(new ServerAddress(name, "127.0.0.1", 5432), true, Role.REPLICA, 0, 0, 0, 1,
                Instant.EPOCH, null);
    }

    private static Map<String, Long> counts(ReplicaSelector selector, int reads) {
        Map<String, Long> counts = new HashMap<>();
        for (int i = 0; i < reads; i++) {
            counts.merge(selector.choose(BOTH).name(), 1L, Long::sum);
        }
        return counts;
    }

    @Test
    void roundRobinFollowsTheWeights() {
        ReplicaSelector selector = new ReplicaSelector(ReplicaPolicy.ROUND_ROBIN, Map.of("pg2", 3, "pg3", 1), load);

        assertThat(counts(selector, 400)).containsEntry("pg2", 300L).containsEntry("pg3", 100L);
    }

    @Test
    void weightZeroTakesAReplicaOutOfRotationAndItComesBackOnReconfigure() {
        ReplicaSelector selector = new ReplicaSelector(ReplicaPolicy.ROUND_ROBIN, Map.of("pg2", 0), load);
        assertThat(counts(selector, 10)).containsOnlyKeys("pg3");
        assertThat(selector.choose(List.of(PG2))).isNull();

        selector.configure(ReplicaPolicy.ROUND_ROBIN, ReplicaAffinity.STATEMENT, Map.of());

        assertThat(counts(selector, 10)).containsEntry("pg2", 5L).containsEntry("pg3", 5L);
    }

    @Test
    void peekShowsTheNextChoiceWithoutTakingItsTurn() {
        ReplicaSelector selector = new ReplicaSelector(ReplicaPolicy.ROUND_ROBIN, Map.of(), load);
        ServerHealth next = selector.peek(BOTH);

        assertThat(selector.peek(BOTH)).isEqualTo(next);
        assertThat(selector.choose(BOTH)).isEqualTo(next);
        assertThat(selector.peek(BOTH)).isNotEqualTo(next);
    }

    @Test
    void sessionAffinityKeepsTheSessionsReplicaWhileItMayServeAndTakesNoTurnForIt() {
        ReplicaSelector selector = new ReplicaSelector(ReplicaPolicy.ROUND_ROBIN, ReplicaAffinity.SESSION, Map.of(), load);
        ServerHealth first = selector.choose(BOTH, null);
        ServerHealth other = first == PG2 ? PG3 : PG2;

        assertThat(List.of(selector.choose(BOTH, first.name()), selector.choose(BOTH, first.name()))).containsOnly(first);
        assertThat(selector.peek(BOTH, first.name())).isEqualTo(first);
        assertThat(selector.choose(BOTH, null)).as("the next session's first read: the turn after the first's")
                .isEqualTo(other);
        assertThat(selector.choose(List.of(other), first.name())).as("its replica no longer a candidate")
                .isEqualTo(other);

        selector.configure(ReplicaPolicy.ROUND_ROBIN, ReplicaAffinity.SESSION, Map.of(first.name(), 0));
        assertThat(selector.choose(BOTH, first.name())).as("its replica drained by weight 0").isEqualTo(other);
    }

    @Test
    void statementAffinityIgnoresTheSessionsReplica() {
        ReplicaSelector selector = new ReplicaSelector(ReplicaPolicy.ROUND_ROBIN, Map.of(), load);

        assertThat(List.of(selector.choose(BOTH, "pg2"), selector.choose(BOTH, "pg2"))).containsOnly(PG2, PG3)
                .contains(PG2, PG3);
    }

    @Test
    void leastBusyAvoidsTheReplicaWithMoreReadsInFlightAndSharesTies() {
        ReplicaSelector selector = new ReplicaSelector(ReplicaPolicy.LEAST_BUSY, Map.of(), load);
        inFlight.put("pg2", 3);
        inFlight.put("pg3", 1);
        assertThat(counts(selector, 20)).containsOnlyKeys("pg3");

        inFlight.put("pg3", 3);
        assertThat(counts(selector, 20)).containsEntry("pg2", 10L).containsEntry("pg3", 10L);
    }

    @Test
    void lowestLatencyAvoidsASlowReplicaButSharesBetweenReplicasWithinTheBand() {
        ReplicaSelector selector = new ReplicaSelector(ReplicaPolicy.LOWEST_LATENCY, Map.of(), load);
        latency.put("pg2", 800_000L);
        latency.put("pg3", 51_000_000L);
        assertThat(counts(selector, 20)).containsOnlyKeys("pg2");

        latency.put("pg3", 1_500_000L);
        assertThat(counts(selector, 20)).containsEntry("pg2", 10L).containsEntry("pg3", 10L);

        latency.remove("pg3");
        assertThat(counts(selector, 20)).as("not measured yet: counts as fast").containsKeys("pg2", "pg3");
    }

    @Test
    void latenciesAverageOverTimeSoThatNewSamplesWin() {
        long[] now = {0};
        ReplicaLatencies latencies = new ReplicaLatencies(() -> now[0]);
        latencies.record("pg2", 50_000_000);
        assertThat(latencies.nanos("pg2")).isEqualTo(50_000_000);
        for (int i = 0; i < 10; i++) {
            now[0] += 500_000_000;
            latencies.probed("pg2", 1_000_000);
        }
        assertThat(latencies.nanos("pg2")).isLessThan(2_000_000);
        assertThat(latencies.nanos("pg3")).isEqualTo(-1);
    }
}
