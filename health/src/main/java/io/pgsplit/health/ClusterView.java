package io.pgsplit.health;

import java.util.concurrent.CompletableFuture;

/**
 * What sessions need to know about the cluster, lock-free: the latest topology, replay positions,
 * and ways to ask for fresher ones. {@link HealthMonitor} is the real one; tests drive sessions with
 * their own.
 */
public interface ClusterView {

    Topology topology();

    /** Best known replay LSN of a replica, or -1. */
    long replayLsn(String serverName);

    /** Reads replay positions on every up replica now; completes on a health thread. */
    CompletableFuture<Void> refreshReplayPositions();

    /** Probes every server again now; completes on a health thread with the resulting snapshot. */
    CompletableFuture<Topology> refreshNow();
}
