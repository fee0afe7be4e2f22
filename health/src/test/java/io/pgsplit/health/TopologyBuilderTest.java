package io.pgsplit.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class TopologyBuilderTest {

    private static final HealthSettings NO_LIMITS = HealthSettings.defaults();
    private static final Instant PROBED = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void singleUpPrimaryIsThePrimary() {
        Topology topology = build(NO_LIMITS, primary("pg1", 1000), replica("pg2", 1000, 0), replica("pg3", 900, 2.5));

        assertThat(topology.splitBrain()).isFalse();
        assertThat(topology.primary()).map(ServerHealth::name).contains("pg1");
        assertThat(topology.servers()).extracting(ServerHealth::name).containsExactly("pg1", "pg2", "pg3");
        assertThat(topology.version()).isEqualTo(7);
    }

    @Test
    void twoUpPrimariesAreSplitBrainWithoutPrimary() {
        Topology topology = build(NO_LIMITS, primary("pg1", 1000), primary("pg2", 2000), replica("pg3", 900, 1));

        assertThat(topology.splitBrain()).isTrue();
        assertThat(topology.primary()).isEmpty();
    }

    @Test
    void downPrimaryNeitherCountsAsPrimaryNorCausesSplitBrain() {
        Topology topology = build(NO_LIMITS, down(primary("pg1", 1000)), primary("pg2", 2000));

        assertThat(topology.splitBrain()).isFalse();
        assertThat(topology.primary()).map(ServerHealth::name).contains("pg2");
        assertThat(topology.server("pg1")).get().satisfies(pg1 -> {
            assertThat(pg1.up()).isFalse();
            assertThat(pg1.role()).isEqualTo(Role.PRIMARY);
            assertThat(pg1.isPrimary()).isFalse();
        });
    }

    @Test
    void noUpPrimaryMeansNoPrimaryAndUnknownLag() {
        Topology topology = build(NO_LIMITS, down(primary("pg1", 1000)), replica("pg2", 900, 3));

        assertThat(topology.primary()).isEmpty();
        assertThat(topology.splitBrain()).isFalse();
        ServerHealth pg2 = topology.server("pg2").orElseThrow();
        assertThat(pg2.lagBytes()).isEqualTo(-1);
        assertThat(pg2.lagSeconds()).isEqualTo(-1);
        assertThat(topology.readableReplicas()).containsExactly(pg2);
    }

    @Test
    void lagIsPrimaryPositionMinusReplayPositionAndReplayAgeWhenBehind() {
        Topology topology = build(NO_LIMITS, primary("pg1", 1000), replica("pg2", 900, 2.5));

        ServerHealth pg2 = topology.server("pg2").orElseThrow();
        assertThat(pg2.lagBytes()).isEqualTo(100);
        assertThat(pg2.lagSeconds()).isEqualTo(2.5);
    }

    @Test
    void caughtUpReplicaHasNoLagHoweverOldItsLastReplayedTransaction() {
        Topology topology = build(NO_LIMITS, primary("pg1", 1000), replica("pg2", 1000, 3600));

        ServerHealth pg2 = topology.server("pg2").orElseThrow();
        assertThat(pg2.lagBytes()).isZero();
        assertThat(pg2.lagSeconds()).isZero();
    }

    @Test
    void replicaAheadOfAnOlderPrimarySampleIsClampedToNoLag() {
        Topology topology = build(NO_LIMITS, primary("pg1", 1000), replica("pg2", 1200, 1));

        assertThat(topology.server("pg2").orElseThrow().lagBytes()).isZero();
    }

    @Test
    void primaryHasNoLag() {
        ServerHealth pg1 = build(NO_LIMITS, primary("pg1", 1000)).server("pg1").orElseThrow();

        assertThat(pg1.lagBytes()).isEqualTo(-1);
        assertThat(pg1.walLsn()).isEqualTo(1000);
        assertThat(pg1.timeline()).isEqualTo(1);
    }

    @Test
    void readableReplicasAreUpReplicasInConfigurationOrder() {
        Topology topology = build(NO_LIMITS, replica("pg3", 1000, 0), primary("pg1", 1000),
                down(replica("pg4", 1000, 0)), replica("pg2", 1000, 0));

        assertThat(topology.readableReplicas()).extracting(ServerHealth::name).containsExactly("pg3", "pg2");
    }

    @Test
    void replicaBeyondTheByteLimitIsNotReadable() {
        HealthSettings limit = limits(100, null);
        Topology topology = build(limit, primary("pg1", 1000), replica("pg2", 900, 1), replica("pg3", 899, 1));

        assertThat(topology.readableReplicas()).extracting(ServerHealth::name).containsExactly("pg2");
    }

    @Test
    void replicaBeyondTheTimeLimitIsNotReadable() {
        HealthSettings limit = limits(-1, Duration.ofSeconds(2));
        Topology topology = build(limit, primary("pg1", 1000), replica("pg2", 900, 2.0), replica("pg3", 900, 2.1));

        assertThat(topology.readableReplicas()).extracting(ServerHealth::name).containsExactly("pg2");
    }

    @Test
    void unknownLagFailsAConfiguredLimit() {
        Topology bytes = build(limits(100, null), down(primary("pg1", 1000)), replica("pg2", 1000, 0));
        Topology time = build(limits(-1, Duration.ofSeconds(5)), primary("pg1", 1000), replica("pg2", 900, -1));

        assertThat(bytes.readableReplicas()).isEmpty();
        assertThat(time.readableReplicas()).isEmpty();
    }

    @Test
    void neverProbedServerIsDownWithUnknownRole() {
        ServerAddress address = new ServerAddress("pg1", "127.0.0.1", 5432);
        ServerHealth pg1 = build(NO_LIMITS, ServerObservation.unprobed(address)).server("pg1").orElseThrow();

        assertThat(pg1.up()).isFalse();
        assertThat(pg1.role()).isEqualTo(Role.UNKNOWN);
        assertThat(pg1.walLsn()).isEqualTo(-1);
        assertThat(pg1.timeline()).isEqualTo(-1);
        assertThat(pg1.lastProbe()).isNull();
    }

    @Test
    void summaryNamesEveryServerWithRoleStateLagAndError() {
        Topology topology = build(limits(50, null), primary("pg1", 1000), replica("pg2", 1000, 0),
                replica("pg3", 900, 1.25), failed(down(replica("pg4", 800, 0)), "Connection refused"));

        assertThat(TopologySummary.describe(topology)).isEqualTo("topology v7: pg1 primary up, "
                + "pg2 replica up lag=0B/0.0s, pg3 replica up lag=100B/1.3s (too far behind for reads), "
                + "pg4 down (Connection refused)");
    }

    @Test
    void summaryFlagsSplitBrain() {
        Topology topology = build(NO_LIMITS, primary("pg1", 1), primary("pg2", 2));

        assertThat(TopologySummary.describe(topology))
                .isEqualTo("topology v7: SPLIT BRAIN, pg1 primary up, pg2 primary up");
    }

    @Test
    void summaryTellsNotYetProbedServersFromDownOnes() {
        ServerAddress address = new ServerAddress("pg2", "127.0.0.1", 5432);
        Topology topology = build(NO_LIMITS, primary("pg1", 1), ServerObservation.unprobed(address));

        assertThat(TopologySummary.describe(topology)).isEqualTo("topology v7: pg1 primary up, pg2 not probed yet");
    }

    private static Topology build(HealthSettings settings, ServerObservation... observations) {
        return TopologyBuilder.build(7, List.of(observations), settings);
    }

    private static HealthSettings limits(long maxLagBytes, Duration maxLagTime) {
        HealthSettings defaults = HealthSettings.defaults();
        return new HealthSettings(defaults.interval(), defaults.timeout(), defaults.fall(), defaults.rise(),
                maxLagBytes, maxLagTime);
    }

    private static ServerObservation primary(String name, long walLsn) {
        return observation(name, new ProbeResult(false, walLsn, -1, 1));
    }

    private static ServerObservation replica(String name, long replayLsn, double replayAgeSeconds) {
        return observation(name, new ProbeResult(true, replayLsn, replayAgeSeconds, 1));
    }

    private static ServerObservation observation(String name, ProbeResult probe) {
        return new ServerObservation(new ServerAddress(name, "127.0.0.1", 5432), true, probe, PROBED, null);
    }

    private static ServerObservation down(ServerObservation observation) {
        return new ServerObservation(observation.address(), false, observation.lastSuccess(),
                observation.lastProbe(), observation.lastError());
    }

    private static ServerObservation failed(ServerObservation observation, String error) {
        return new ServerObservation(observation.address(), observation.up(), observation.lastSuccess(),
                observation.lastProbe(), error);
    }
}
