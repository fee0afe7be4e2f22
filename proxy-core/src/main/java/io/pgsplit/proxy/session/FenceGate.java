package io.pgsplit.proxy.session;

import io.pgsplit.health.ClusterView;
import io.pgsplit.health.ServerHealth;
import io.pgsplit.health.Topology;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Read-your-writes at the door of every read: which replicas may serve it, or whether it must wait
 * for the position of a commit just made, wait (with {@code consistency.max_wait}) for replicas to
 * catch up, or go to the primary. Asks for fresh replay positions whenever no replica is known to
 * have replayed the session's fence, so that later reads benefit; counts fence waits.
 */
final class FenceGate {

    sealed interface Gate {
    }

    /** The read may go to the replicas {@code replicas} accepts (or the primary, if none does). */
    record Open(Predicate<ServerHealth> replicas) implements Gate {
    }

    /** The position of the commit just made is on its way: wait for it. */
    record WaitForPosition() implements Gate {
    }

    /** Wait up to {@code nanos} for {@code refresh}: fresh replay positions may show a replica caught up. */
    record WaitForCatchUp(long nanos, CompletableFuture<Void> refresh) implements Gate {
    }

    /** No replica is known to be safe: the read goes to the primary (reason {@code fence}). */
    record ToPrimary() implements Gate {
    }

    private static final WaitForPosition WAIT_FOR_POSITION = new WaitForPosition();
    private static final ToPrimary TO_PRIMARY = new ToPrimary();

    private final FenceTracker fence;
    private final ClusterView cluster;
    private final ProxyMetrics metrics;
    private final Supplier<Optional<Duration>> maxWait;
    private final LongSupplier nanoClock;
    private final RoutePlanner planner;
    // Built once: a read must not allocate predicates.
    private final Open any = new Open(RoutePlanner.ALL);
    private final Open withRoom;
    private final Open replayed;
    private final Open withRoomReplayed;

    FenceGate(FenceTracker fence, ClusterView cluster, ProxyMetrics metrics, Supplier<Optional<Duration>> maxWait,
              LongSupplier nanoClock, RoutePlanner planner, Predicate<ServerHealth> poolHasRoom) {
        this.fence = fence;
        this.cluster = cluster;
        this.metrics = metrics;
        this.maxWait = maxWait;
        this.nanoClock = nanoClock;
        this.planner = planner;
        Predicate<ServerHealth> replayedFence = replica -> fence.replayed(cluster.replayLsn(replica.name()));
        this.withRoom = new Open(poolHasRoom);
        this.replayed = new Open(replayedFence);
        this.withRoomReplayed = new Open(poolHasRoom.and(replayedFence));
    }

    /** @param read whether the request needs only a read ({@link Requirement.Need#READ}) */
    Gate check(Segment s, boolean read, Topology topology) {
        RoutingAttempt attempt = s.attemptIfAny();
        boolean room = attempt != null && attempt.onlyReplicasWithRoom;
        if (!read || !fence.positionPending() && !fence.constrainsReplicas()) {
            return room ? withRoom : any;
        }
        if (fence.positionPending()) {
            return WAIT_FOR_POSITION;
        }
        Open caughtUp = room ? withRoomReplayed : replayed;
        Set<String> failed = attempt == null ? Set.of() : attempt.failedServers;
        if (planner.anyReplica(topology, failed, caughtUp.replicas())) {
            endWait(attempt, true);
            return caughtUp;
        }
        CompletableFuture<Void> refresh = cluster.refreshReplayPositions();
        Optional<Duration> wait = maxWait.get();
        if (wait.isEmpty() || !fence.known()) {
            return TO_PRIMARY;
        }
        RoutingAttempt waiting = s.attempt();
        long now = nanoClock.getAsLong();
        if (waiting.fenceWaitStartedNanos == 0) {
            waiting.fenceWaitStartedNanos = now;
        }
        long left = wait.get().toNanos() - (now - waiting.fenceWaitStartedNanos);
        if (left > 0) {
            return new WaitForCatchUp(left, refresh);
        }
        endWait(waiting, false);
        return TO_PRIMARY;
    }

    private void endWait(RoutingAttempt attempt, boolean caughtUp) {
        if (attempt != null && attempt.fenceWaitStartedNanos != 0) {
            metrics.fenceWait(nanoClock.getAsLong() - attempt.fenceWaitStartedNanos, caughtUp);
            attempt.fenceWaitStartedNanos = 0;
        }
    }
}
