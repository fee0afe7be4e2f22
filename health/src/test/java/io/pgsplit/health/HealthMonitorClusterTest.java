package io.pgsplit.health;

import static io.pgsplit.health.ClusterFixtures.FALL;
import static io.pgsplit.health.ClusterFixtures.FAST;
import static io.pgsplit.health.ClusterFixtures.INTERVAL;
import static io.pgsplit.health.ClusterFixtures.RISE;
import static io.pgsplit.health.ClusterFixtures.TIMEOUT;
import static io.pgsplit.health.ClusterFixtures.isUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.pgsplit.cluster.LocalPgCluster;
import io.pgsplit.cluster.PgNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Non-destructive scenarios on one shared primary with two replicas; every test leaves the cluster as it found it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealthMonitorClusterTest {

    private static final Duration FIRST_ROUND = Duration.ofSeconds(5);

    private LocalPgCluster cluster;
    private PgNode pg1;
    private PgNode pg2;
    private PgNode pg3;

    @BeforeAll
    void startCluster() {
        cluster = LocalPgCluster.builder().replicas(2).start();
        pg1 = cluster.primary();
        pg2 = cluster.replicas().get(0);
        pg3 = cluster.replicas().get(1);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void discoversPrimaryAndReplicasWithTheirPositionsAndLag() {
        try (HealthMonitor monitor = ClusterFixtures.monitor(cluster, FAST, cluster.nodes())) {
            monitor.start();

            assertThat(monitor.awaitFirstRound(FIRST_ROUND)).isTrue();
            Topology topology = monitor.topology();

            assertThat(topology.splitBrain()).isFalse();
            assertThat(topology.primary()).get().satisfies(primary -> {
                assertThat(primary.name()).isEqualTo("pg1");
                assertThat(primary.walLsn()).isPositive();
                assertThat(primary.timeline()).isEqualTo(1);
                assertThat(primary.lastError()).isNull();
            });
            assertThat(topology.readableReplicas()).extracting(ServerHealth::name).containsExactly("pg2", "pg3");
            assertThat(topology.readableReplicas()).allSatisfy(replica -> {
                assertThat(replica.role()).isEqualTo(Role.REPLICA);
                assertThat(replica.walLsn()).isPositive();
                assertThat(replica.lagBytes()).isNotNegative();
                assertThat(replica.lagSeconds()).isNotNegative();
                assertThat(replica.timeline()).isEqualTo(1);
            });
        }
    }

    @Test
    void refreshNowProbesEveryServerWithoutWaitingForTheInterval() throws Exception {
        HealthSettings hourly = new HealthSettings(Duration.ofHours(1), TIMEOUT, FALL, RISE, -1, null);
        try (HealthMonitor monitor = ClusterFixtures.monitor(cluster, hourly, cluster.nodes())) {
            monitor.start();
            assertThat(monitor.awaitFirstRound(FIRST_ROUND)).isTrue();
            Instant requested = Instant.now();

            Topology refreshed = monitor.refreshNow().get(5, TimeUnit.SECONDS);

            assertThat(refreshed.servers()).hasSize(3)
                    .allSatisfy(server -> assertThat(server.lastProbe()).isAfterOrEqualTo(requested));
            assertThat(refreshed.primary()).map(ServerHealth::name).contains("pg1");
        }
    }

    @Test
    void stoppedReplicaGoesDownAfterFallFailuresAndComesBackAfterRiseSuccesses() {
        List<Topology> notified = new CopyOnWriteArrayList<>();
        List<String> listenerThreads = new CopyOnWriteArrayList<>();
        try (HealthMonitor monitor = ClusterFixtures.monitor(cluster, FAST, cluster.nodes())) {
            monitor.addListener(topology -> {
                notified.add(topology);
                listenerThreads.add(Thread.currentThread().getName());
            });
            monitor.start();
            assertThat(monitor.awaitFirstRound(FIRST_ROUND)).isTrue();
            List<ServerHealth> rounds;
            try (ProbeRoundRecorder recorder = new ProbeRoundRecorder(monitor, "pg3")) {
                pg3.stopImmediate();
                await().atMost(Duration.ofSeconds(5)).until(() -> !isUp(monitor.topology(), "pg3"));
                pg3.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> monitor.topology().readableReplicas().size() == 2);
                rounds = recorder.rounds();
            }

            int firstFailure = indexOfFirst(rounds, 0, false);
            assertThat(rounds.subList(0, firstFailure)).isNotEmpty().allMatch(ServerHealth::up);
            assertThat(rounds.subList(firstFailure, firstFailure + FALL - 1))
                    .as("still up while failing fewer than fall times").allMatch(ServerHealth::up);
            assertThat(rounds.get(firstFailure + FALL - 1).up()).as("down at the fall-th failure").isFalse();
            int firstSuccess = indexOfFirst(rounds, firstFailure, true);
            assertThat(rounds.subList(firstFailure + FALL - 1, firstSuccess + RISE - 1))
                    .as("down until rise successes").noneMatch(ServerHealth::up);
            assertThat(rounds.get(firstSuccess + RISE - 1).up()).as("up at the rise-th success").isTrue();

            assertThat(notified).anyMatch(topology -> !isUp(topology, "pg3"));
            assertThat(notified.get(notified.size() - 1).server("pg3")).get().matches(ServerHealth::isReplica);
            assertThat(listenerThreads).allMatch(name -> name.startsWith("pgsplit-health-"));
        }
    }

    @Test
    void suspendedReplicaGoesDownWithinFallTimeoutsWithoutDelayingProbesOfOthers() {
        try (HealthMonitor monitor = ClusterFixtures.monitor(cluster, FAST, cluster.nodes())) {
            monitor.start();
            assertThat(monitor.awaitFirstRound(FIRST_ROUND)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> monitor.topology().readableReplicas().size() == 2);
            Duration markedDownAfter;
            List<ServerHealth> othersRounds;
            try (ProbeRoundRecorder pg3Rounds = new ProbeRoundRecorder(monitor, "pg3")) {
                long suspended = System.nanoTime();
                pg2.suspend();
                try {
                    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                            .until(() -> !isUp(monitor.topology(), "pg2"));
                    markedDownAfter = Duration.ofNanos(System.nanoTime() - suspended);
                } finally {
                    pg2.resume();
                }
                othersRounds = pg3Rounds.rounds();
            }

            // Each failed round ends at its timeout and is followed by an interval; the last interval is not waited.
            Duration expected = TIMEOUT.plus(INTERVAL).multipliedBy(FALL);
            assertThat(markedDownAfter).isLessThan(expected.plusMillis(500));
            assertThat(monitor.topology().server("pg2").orElseThrow().lastError()).contains("no answer within 500 ms");
            assertThat(maxGapBetweenRounds(othersRounds)).as("pg3 probed on schedule while pg2 hung")
                    .isLessThan(INTERVAL.plus(TIMEOUT.dividedBy(2)));
            await().atMost(Duration.ofSeconds(10)).until(() -> monitor.topology().readableReplicas().size() == 2);
        }
    }

    @Test
    void replicaWithPausedReplayLeavesReadableReplicasBeyondTheLagLimitAndReturnsAfterResume() throws Exception {
        long maxLagBytes = 1_000_000;
        try (HealthMonitor monitor = ClusterFixtures.monitor(cluster, ClusterFixtures.withMaxLagBytes(FAST, maxLagBytes),
                cluster.nodes())) {
            monitor.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> monitor.topology().readableReplicas().size() == 2);
            ClusterFixtures.executeAsSuperuser(pg2, "postgres", "SELECT pg_wal_replay_pause()");
            try {
                ClusterFixtures.executeAsSuperuser(pg1, LocalPgCluster.APP_DATABASE, "CREATE TABLE lag_probe AS "
                        + "SELECT g, repeat('x', 200) AS filler FROM generate_series(1, 20000) g");

                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    Topology topology = monitor.topology();
                    return topology.server("pg2").orElseThrow().lagBytes() > maxLagBytes
                            && readableNames(topology).equals(List.of("pg3"));
                });
                assertThat(monitor.topology().server("pg2")).get().matches(ServerHealth::isReplica);
            } finally {
                ClusterFixtures.executeAsSuperuser(pg2, "postgres", "SELECT pg_wal_replay_resume()");
                ClusterFixtures.executeAsSuperuser(pg1, LocalPgCluster.APP_DATABASE, "DROP TABLE IF EXISTS lag_probe");
            }

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> readableNames(monitor.topology()).equals(List.of("pg2", "pg3")));
        }
    }

    @Test
    void reconfigureProbesAddedServersAndForgetsRemovedOnes() {
        try (HealthMonitor monitor = ClusterFixtures.monitor(cluster, FAST, List.of(pg1, pg2))) {
            monitor.start();
            assertThat(monitor.awaitFirstRound(FIRST_ROUND)).isTrue();

            monitor.reconfigure(ClusterFixtures.addresses(List.of(pg3, pg1)), FAST, ClusterFixtures.credentials(cluster));

            assertThat(monitor.awaitFirstRound(FIRST_ROUND)).isTrue();
            Topology topology = monitor.topology();
            assertThat(topology.servers()).extracting(ServerHealth::name).containsExactly("pg3", "pg1");
            assertThat(topology.server("pg2")).isEmpty();
            assertThat(topology.primary()).map(ServerHealth::name).contains("pg1");
            await().atMost(Duration.ofSeconds(5)).until(() -> readableNames(monitor.topology()).equals(List.of("pg3")));
        }
    }

    private static List<String> readableNames(Topology topology) {
        return topology.readableReplicas().stream().map(ServerHealth::name).toList();
    }

    private static int indexOfFirst(List<ServerHealth> rounds, int from, boolean succeeded) {
        for (int i = from; i < rounds.size(); i++) {
            if ((rounds.get(i).lastError() == null) == succeeded) {
                return i;
            }
        }
        throw new AssertionError("no " + (succeeded ? "successful" : "failed") + " round after " + from + " in " + rounds);
    }

    private static Duration maxGapBetweenRounds(List<ServerHealth> rounds) {
        Duration max = Duration.ZERO;
        for (int i = 1; i < rounds.size(); i++) {
            Duration gap = Duration.between(rounds.get(i - 1).lastProbe(), rounds.get(i).lastProbe());
            max = gap.compareTo(max) > 0 ? gap : max;
        }
        return max;
    }
}
