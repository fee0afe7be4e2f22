package io.pgsplit.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.health.Role;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.health.ServerHealth;
import io.pgsplit.health.Topology;
import io.pgsplit.protocol.SqlState;
import io.pgsplit.router.Classification;
import io.pgsplit.proxy.balance.ReplicaSelector;
import io.pgsplit.proxy.config.ReplicaAffinity;
import io.pgsplit.proxy.config.ReplicaPolicy;
import io.pgsplit.router.RouteReason;
import io.pgsplit.router.StatementKind;
import io.pgsplit.router.TransactionControl;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutePlannerTest {
    private static final Classification READ =
            new Classification(false, RouteReason.READ, TransactionControl.NONE, List.of(StatementKind.READ));
    private static final Classification WRITE =
            new Classification(true, RouteReason.WRITE, TransactionControl.NONE, List.of(StatementKind.WRITE));
    private static final Set<String> NONE_FAILED = Set.of();

    private final RoutePlanner planner = new RoutePlanner(ReplicaSelector.roundRobin());

    private static ServerHealth server(String name, int port, boolean up, Role role) {
        return new ServerHealth(new ServerAddress(name, "127.0.0.1", port), up, role, 0, 0, 0, 1, Instant.EPOCH, null);
    }

    private static ServerHealth primary(String name) {
        return server(name, 15432, true, Role.PRIMARY);
    }

    private static ServerHealth replica(String name) {
        return server(name, 15433, true, Role.REPLICA);
    }

    private static Topology topology(ServerHealth... servers) {
        return new Topology(1, List.of(servers), false);
    }

    private static final Topology CLUSTER = topology(primary("pg1"), replica("pg2"), replica("pg3"));

    /** Plans a segment with this classification, as the session does. */
    private Route plan(Classification classification, Topology topology, Set<String> failed) {
        return planner.plan(Requirement.of(new Segment(), classification), topology, failed);
    }

    /** Plans a segment without SQL (a lone Sync, a Close). */
    private Route planWithoutSql(Topology topology, Set<String> failed) {
        return planner.plan(Requirement.of(new Segment(), null), topology, failed);
    }

    private static Route.ToServer toServer(Route route) {
        assertThat(route).isInstanceOf(Route.ToServer.class);
        return (Route.ToServer) route;
    }

    private static Route.Refuse refusal(Route route) {
        assertThat(route).isInstanceOf(Route.Refuse.class);
        return (Route.Refuse) route;
    }

    @Test
    void sessionAffinityKeepsTheReplicaOfTheFirstReadUntilItStopsServing() {
        RoutePlanner sticky = new RoutePlanner(new ReplicaSelector(ReplicaPolicy.ROUND_ROBIN, ReplicaAffinity.SESSION,
                Map.of(), ReplicaSelector.roundRobin().load()));
        String first = toServer(sticky.plan(Requirement.of(new Segment(), READ), CLUSTER, NONE_FAILED)).server().name();
        String other = first.equals("pg2") ? "pg3" : "pg2";
        List<String> reads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            reads.add(toServer(sticky.plan(Requirement.of(new Segment(), READ), CLUSTER, NONE_FAILED)).server().name());
        }
        assertThat(reads).containsOnly(first);
        assertThat(toServer(sticky.preview(Requirement.of(new Segment(), READ), CLUSTER, RoutePlanner.ALL))
                .server().name()).isEqualTo(first);

        assertThat(toServer(sticky.plan(Requirement.of(new Segment(), READ), CLUSTER, Set.of(first))).server().name())
                .as("its replica failed for this read").isEqualTo(other);
        assertThat(toServer(sticky.plan(Requirement.of(new Segment(), READ), CLUSTER, NONE_FAILED)).server().name())
                .as("the replica that took over is kept").isEqualTo(other);
    }

    /**
     * Routes are handed out again while they say the same (no allocation per read), but never one of a server that
     * changed its role or its address since.
     */
    @Test
    void aRouteIsReusedOnlyWhileServerRoleAndReasonAreTheSame() {
        Route.ToServer first = toServer(plan(READ, CLUSTER, NONE_FAILED));
        toServer(plan(READ, CLUSTER, NONE_FAILED));
        assertThat(toServer(plan(READ, CLUSTER, NONE_FAILED))).isSameAs(first);

        Topology promoted = topology(server("pg2", 15433, true, Role.PRIMARY), replica("pg3"));
        Route.ToServer write = toServer(plan(WRITE, promoted, NONE_FAILED));
        assertThat(write.server()).isEqualTo(first.server());
        assertThat(write.role()).isEqualTo(Role.PRIMARY);
        assertThat(write.reason()).isEqualTo("write");

        Topology moved = topology(primary("pg1"), server("pg2", 25433, true, Role.REPLICA));
        assertThat(toServer(plan(READ, moved, NONE_FAILED)).server().port()).isEqualTo(25433);
    }

    @Test
    void readsGoRoundRobinOverTheReadableReplicas() {
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Route.ToServer to = toServer(plan(READ, CLUSTER, NONE_FAILED));
            assertThat(to.role()).isEqualTo(Role.REPLICA);
            assertThat(to.reason()).isEqualTo("read");
            chosen.add(to.server().name());
        }

        assertThat(chosen).containsExactly("pg2", "pg3", "pg2", "pg3");
    }

    @Test
    void readsSkipReplicasThatAreDown() {
        Topology topology = topology(primary("pg1"), server("pg2", 15433, false, Role.REPLICA), replica("pg3"));

        for (int i = 0; i < 3; i++) {
            assertThat(toServer(plan(READ, topology, NONE_FAILED)).server().name()).isEqualTo("pg3");
        }
    }

    @Test
    void readsUseOnlyReplicasWithinTheLagLimits() {
        ServerHealth lagging = replica("pg2");
        ServerHealth current = replica("pg3");
        Topology topology = new Topology(1, List.of(primary("pg1"), lagging, current), false, List.of(current));

        assertThat(toServer(plan(READ, topology, NONE_FAILED)).server().name()).isEqualTo("pg3");
        assertThat(toServer(plan(READ, topology, NONE_FAILED)).server().name()).isEqualTo("pg3");
    }

    @Test
    void aPrimaryChosenBeforeAConnectionWaitNoLongerHoldsOnceDemotedOrInSplitBrain() {
        Route.ToServer chosen = toServer(plan(WRITE, CLUSTER, NONE_FAILED));
        Topology promoted = topology(replica("pg1"), primary("pg2"), replica("pg3"));
        Topology splitBrain = new Topology(2, List.of(primary("pg1"), primary("pg2"), replica("pg3")), true, List.of(replica("pg3")));

        assertThat(planner.stillHolds(chosen, CLUSTER)).isTrue();
        assertThat(planner.stillHolds(chosen, promoted)).as("pg1 demoted: the write must not follow it").isFalse();
        assertThat(planner.stillHolds(chosen, splitBrain)).isFalse();
    }

    @Test
    void aReplicaChosenBeforeAConnectionWaitNoLongerHoldsOnceDownOrPromoted() {
        Route.ToServer chosen = toServer(plan(READ, CLUSTER, NONE_FAILED));
        String name = chosen.server().name();
        String other = name.equals("pg2") ? "pg3" : "pg2";

        assertThat(planner.stillHolds(chosen, CLUSTER)).isTrue();
        assertThat(planner.stillHolds(chosen, topology(primary("pg1"), server(name, 15433, false, Role.REPLICA), replica(other))))
                .isFalse();
        assertThat(planner.stillHolds(chosen, topology(replica("pg1"), primary(name), replica(other)))).isFalse();
    }

    @Test
    void writeGoesToThePrimaryWithTheClassificationsReason() {
        Route.ToServer to = toServer(plan(WRITE, CLUSTER, NONE_FAILED));

        assertThat(to.server().name()).isEqualTo("pg1");
        assertThat(to.role()).isEqualTo(Role.PRIMARY);
        assertThat(to.reason()).isEqualTo("write");
    }

    @Test
    void lockingReadGoesToThePrimaryWithItsOwnReason() {
        Classification forUpdate =
                new Classification(true, RouteReason.LOCKING_READ, TransactionControl.NONE, List.of(StatementKind.READ));

        Route.ToServer to = toServer(plan(forUpdate, CLUSTER, NONE_FAILED));

        assertThat(to.server().name()).isEqualTo("pg1");
        assertThat(to.reason()).isEqualTo("locking_read");
    }

    @Test
    void writeWithoutAPrimaryIsRefusedWithCannotConnectNow() {
        Route.Refuse refuse = refusal(plan(WRITE, topology(replica("pg2"), replica("pg3")), NONE_FAILED));

        assertThat(refuse.sqlState()).isEqualTo(SqlState.CANNOT_CONNECT_NOW);
        assertThat(refuse.message()).contains("no server is known to be the primary");
        assertThat(refuse.reason()).isEqualTo("write");
    }

    @Test
    void writeDuringSplitBrainIsRefusedNamingTheSplitBrain() {
        Topology splitBrain = new Topology(1, List.of(primary("pg1"), primary("pg2"), replica("pg3")), true);

        Route.Refuse refuse = refusal(plan(WRITE, splitBrain, NONE_FAILED));

        assertThat(refuse.sqlState()).isEqualTo(SqlState.CANNOT_CONNECT_NOW);
        assertThat(refuse.message()).contains("split brain");
    }

    @Test
    void readsStillGoToReplicasDuringSplitBrain() {
        Topology splitBrain = new Topology(1, List.of(primary("pg1"), primary("pg2"), replica("pg3")), true);

        assertThat(toServer(plan(READ, splitBrain, NONE_FAILED)).server().name()).isEqualTo("pg3");
    }

    @Test
    void readWithoutAReplicaGoesToThePrimaryWithReasonNoReplica() {
        Route.ToServer to = toServer(plan(READ, topology(primary("pg1")), NONE_FAILED));

        assertThat(to.server().name()).isEqualTo("pg1");
        assertThat(to.role()).isEqualTo(Role.PRIMARY);
        assertThat(to.reason()).isEqualTo(RoutePlanner.REASON_NO_REPLICA);
    }

    @Test
    void readWithNoServerAtAllIsRefused() {
        Route.Refuse refuse = refusal(plan(READ, Topology.empty(), NONE_FAILED));

        assertThat(refuse.sqlState()).isEqualTo(SqlState.CONNECTION_FAILURE);
        assertThat(refuse.reason()).isEqualTo(RoutePlanner.REASON_NO_REPLICA);
    }

    @Test
    void readSkipsReplicasThatFailedToConnect() {
        for (int i = 0; i < 3; i++) {
            assertThat(toServer(plan(READ, CLUSTER, Set.of("pg2"))).server().name()).isEqualTo("pg3");
        }
    }

    @Test
    void readFallsBackToThePrimaryWhenEveryReplicaFailed() {
        Route.ToServer to = toServer(plan(READ, CLUSTER, Set.of("pg2", "pg3")));

        assertThat(to.server().name()).isEqualTo("pg1");
        assertThat(to.reason()).isEqualTo(RoutePlanner.REASON_NO_REPLICA);
    }

    @Test
    void readIsRefusedNamingTheServersThatFailed() {
        Route.Refuse refuse = refusal(plan(READ, CLUSTER, Set.of("pg1", "pg2", "pg3")));

        assertThat(refuse.sqlState()).isEqualTo(SqlState.CONNECTION_FAILURE);
        assertThat(refuse.message()).contains("pg1").contains("pg2").contains("pg3");
    }

    @Test
    void writeIsRefusedWhenThePrimaryFailedToConnect() {
        Route.Refuse refuse = refusal(plan(WRITE, CLUSTER, Set.of("pg1")));

        assertThat(refuse.sqlState()).isEqualTo(SqlState.CONNECTION_FAILURE);
        assertThat(refuse.message()).contains("pg1");
    }

    @Test
    void beginReadOnlyGoesToAReplicaWithReasonReadOnlyTransaction() {
        Classification beginReadOnly = new Classification(
                false, RouteReason.TRANSACTION, TransactionControl.BEGIN_READ_ONLY, List.of(StatementKind.TRANSACTION));

        Route.ToServer to = toServer(plan(beginReadOnly, CLUSTER, NONE_FAILED));

        assertThat(to.role()).isEqualTo(Role.REPLICA);
        assertThat(to.reason()).isEqualTo("read_only_transaction");
    }

    @Test
    void sessionSettingGoesToThePrimaryWithReasonSession() {
        Classification set = new Classification(
                false, RouteReason.SESSION, TransactionControl.NONE, List.of(StatementKind.SESSION));

        Route.ToServer to = toServer(plan(set, CLUSTER, NONE_FAILED));

        assertThat(to.server().name()).isEqualTo("pg1");
        assertThat(to.role()).isEqualTo(Role.PRIMARY);
        assertThat(to.reason()).isEqualTo(Requirement.REASON_SESSION);
    }

    @Test
    void readMixedWithASessionSettingGoesToThePrimary() {
        Classification mixed = new Classification(
                false, RouteReason.READ, TransactionControl.NONE, List.of(StatementKind.READ, StatementKind.SESSION));

        assertThat(toServer(plan(mixed, CLUSTER, NONE_FAILED)).reason()).isEqualTo(Requirement.REASON_SESSION);
    }

    @Test
    void functionCallGoesToThePrimaryWithReasonFunctionCall() {
        Segment functionCall = new Segment();
        functionCall.functionCall = true;

        Route.ToServer to = toServer(planner.plan(Requirement.of(functionCall, null), CLUSTER, NONE_FAILED));

        assertThat(to.server().name()).isEqualTo("pg1");
        assertThat(to.reason()).isEqualTo("function_call");
    }

    @Test
    void segmentWithoutSqlPrefersThePrimary() {
        Route.ToServer to = toServer(planWithoutSql(CLUSTER, NONE_FAILED));

        assertThat(to.server().name()).isEqualTo("pg1");
        assertThat(to.role()).isEqualTo(Role.PRIMARY);
        assertThat(to.reason()).isEqualTo(Requirement.REASON_PROTOCOL);
    }

    @Test
    void segmentWithoutSqlTakesAReplicaWhenThereIsNoPrimary() {
        Route.ToServer to = toServer(planWithoutSql(topology(replica("pg2"), replica("pg3")), NONE_FAILED));

        assertThat(to.server().name()).isEqualTo("pg2");
        assertThat(to.role()).isEqualTo(Role.REPLICA);
    }

    @Test
    void segmentWithoutSqlSkipsAPrimaryThatFailedToConnect() {
        assertThat(toServer(planWithoutSql(CLUSTER, Set.of("pg1"))).server().name()).isEqualTo("pg2");
    }

    @Test
    void segmentWithoutSqlIsRefusedWhenNoServerIsLeft() {
        Route.Refuse refuse = refusal(planWithoutSql(CLUSTER, Set.of("pg1", "pg2", "pg3")));

        assertThat(refuse.sqlState()).isEqualTo(SqlState.CONNECTION_FAILURE);
    }

    @Test
    void keepsAReplicaForAReadWhileItIsReadable() {
        Optional<Route.ToServer> kept = planner.keep("pg3", Requirement.of(new Segment(), READ), CLUSTER, RoutePlanner.ALL);

        assertThat(kept).hasValueSatisfying(to -> {
            assertThat(to.server().name()).isEqualTo("pg3");
            assertThat(to.role()).isEqualTo(Role.REPLICA);
            assertThat(to.reason()).isEqualTo("read");
        });
    }

    @Test
    void doesNotKeepAReplicaForAWrite() {
        assertThat(planner.keep("pg2", Requirement.of(new Segment(), WRITE), CLUSTER, RoutePlanner.ALL)).isEmpty();
    }

    @Test
    void doesNotKeepAReplicaThatFellBehindTheLagLimits() {
        ServerHealth lagging = replica("pg2");
        Topology topology = new Topology(2, List.of(primary("pg1"), lagging, replica("pg3")), false, List.of());

        assertThat(planner.keep("pg2", Requirement.of(new Segment(), READ), topology, RoutePlanner.ALL)).isEmpty();
    }

    @Test
    void keepsThePrimaryForAWriteAndForASegmentWithoutSql() {
        assertThat(planner.keep("pg1", Requirement.of(new Segment(), WRITE), CLUSTER, RoutePlanner.ALL))
                .hasValueSatisfying(to -> assertThat(to.role()).isEqualTo(Role.PRIMARY));
        assertThat(planner.keep("pg1", Requirement.of(new Segment(), null), CLUSTER, RoutePlanner.ALL))
                .hasValueSatisfying(to -> assertThat(to.reason()).isEqualTo(Requirement.REASON_PROTOCOL));
    }

    @Test
    void doesNotKeepThePrimaryForAReadSoReadsReachTheReplicas() {
        assertThat(planner.keep("pg1", Requirement.of(new Segment(), READ), CLUSTER, RoutePlanner.ALL)).isEmpty();
    }

    @Test
    void doesNotKeepAServerThatIsNoLongerThePrimary() {
        Topology failedOver = topology(replica("pg1"), primary("pg2"));

        assertThat(planner.keep("pg1", Requirement.of(new Segment(), WRITE), failedOver, RoutePlanner.ALL)).isEmpty();
    }
}
