package io.pgsplit.proxy.session;

import io.pgsplit.health.ClusterView;
import io.pgsplit.health.Role;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.health.ServerHealth;
import io.pgsplit.health.Topology;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The cluster as the test decides it is: a topology, replay positions, and refreshes that complete when told. */
final class FakeCluster implements ClusterView {
    static final int PORT = 5432;

    private Topology topology;
    private final Map<String, Long> replayLsns = new HashMap<>();
    private final List<CompletableFuture<Void>> replayRefreshes = new ArrayList<>();
    private int refreshes;
    private RuntimeException topologyFailure;

    FakeCluster(Topology topology) {
        this.topology = topology;
    }

    /** pg1 primary, pg2 and pg3 replicas, all up. */
    static FakeCluster standard() {
        return new FakeCluster(topology(false, primary("pg1"), replica("pg2"), replica("pg3")));
    }

    static ServerHealth primary(String name) {
        return server(name, true, Role.PRIMARY);
    }

    static ServerHealth replica(String name) {
        return server(name, true, Role.REPLICA);
    }

    static ServerHealth server(String name, boolean up, Role role) {
        return new ServerHealth(new ServerAddress(name, "127.0.0.1", PORT), up, role, 0, 0, 0, 1, Instant.EPOCH, null);
    }

    static Topology topology(boolean splitBrain, ServerHealth... servers) {
        return new Topology(1, List.of(servers), splitBrain);
    }

    void topology(Topology next) {
        this.topology = next;
    }

    void replayed(String replica, long lsn) {
        replayLsns.put(replica, lsn);
    }

    /** The next call of {@link #topology()} throws, as a bug would. */
    void failNextTopology(RuntimeException failure) {
        this.topologyFailure = failure;
    }

    @Override
    public Topology topology() {
        if (topologyFailure != null) {
            RuntimeException failure = topologyFailure;
            topologyFailure = null;
            throw failure;
        }
        return topology;
    }

    @Override
    public long replayLsn(String serverName) {
        return replayLsns.getOrDefault(serverName, -1L);
    }

    @Override
    public CompletableFuture<Void> refreshReplayPositions() {
        CompletableFuture<Void> refresh = new CompletableFuture<>();
        replayRefreshes.add(refresh);
        return refresh;
    }

    /** Completes every replay-position refresh asked for so far. */
    void replayPositionsRefreshed() {
        List<CompletableFuture<Void>> done = List.copyOf(replayRefreshes);
        replayRefreshes.clear();
        done.forEach(refresh -> refresh.complete(null));
    }

    int replayRefreshesAsked() {
        return replayRefreshes.size();
    }

    @Override
    public CompletableFuture<Topology> refreshNow() {
        refreshes++;
        return CompletableFuture.completedFuture(topology);
    }

    int healthRefreshes() {
        return refreshes;
    }
}
