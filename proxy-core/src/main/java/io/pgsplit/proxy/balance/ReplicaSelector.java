package io.pgsplit.proxy.balance;

import io.pgsplit.health.ServerHealth;
import io.pgsplit.proxy.config.ReplicaAffinity;
import io.pgsplit.proxy.config.ReplicaPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks the replica for a read among those that may serve it, by {@code routing.replica_policy}:
 * <ul>
 *   <li>{@code round_robin}: in turn, each replica as often as its weight says (3:1 sends three reads of four to
 *       the first);</li>
 *   <li>{@code least_busy}: among the replicas with the fewest reads this proxy has in flight on them, in turn
 *       by weight;</li>
 *   <li>{@code lowest_latency}: among the replicas whose recent latency is within {@code max(2 ms, 50 %)} of the
 *       best one's (so equal replicas share), in turn by weight; a replica not measured yet counts as fast.</li>
 * </ul>
 * Weight 0 keeps a replica out of reads altogether. One turn counter for the whole proxy, shared by every
 * session; {@link #peek} shows the choice the next read would get, without taking a turn. With
 * {@code routing.replica_affinity: session} a session's replica is kept while it may still serve, and the policy
 * is asked only for its first read and when that replica drops out. Thread-safe, and configured live on reload.
 */
public final class ReplicaSelector {
    static final long BAND_FLOOR_NANOS = 2_000_000;

    private final AtomicInteger turn = new AtomicInteger();
    private final ReplicaLoad load;
    private volatile ReplicaPolicy policy;
    private volatile ReplicaAffinity affinity;
    private volatile Map<String, Integer> weights;

    /** @param weights by server name; a server not listed weighs 1 */
    public ReplicaSelector(ReplicaPolicy policy, ReplicaAffinity affinity, Map<String, Integer> weights,
                           ReplicaLoad load) {
        this.load = Objects.requireNonNull(load, "load");
        configure(policy, affinity, weights);
    }

    /** Every read placed afresh ({@code replica_affinity: statement}). */
    public ReplicaSelector(ReplicaPolicy policy, Map<String, Integer> weights, ReplicaLoad load) {
        this(policy, ReplicaAffinity.STATEMENT, weights, load);
    }

    /** A plain round robin with every weight 1, for callers without a configuration. */
    public static ReplicaSelector roundRobin() {
        return new ReplicaSelector(ReplicaPolicy.ROUND_ROBIN, Map.of(), new ReplicaLoad() {
            @Override
            public int inFlight(String server) {
                return 0;
            }

            @Override
            public long latencyNanos(String server) {
                return -1;
            }
        });
    }

    public void configure(ReplicaPolicy nextPolicy, ReplicaAffinity nextAffinity, Map<String, Integer> nextWeights) {
        this.policy = Objects.requireNonNull(nextPolicy, "policy");
        this.affinity = Objects.requireNonNull(nextAffinity, "affinity");
        this.weights = Map.copyOf(nextWeights);
    }

    public ReplicaPolicy policy() {
        return policy;
    }

    public ReplicaAffinity affinity() {
        return affinity;
    }

    public int weight(String server) {
        return weights.getOrDefault(server, 1);
    }

    /** False for a replica of weight 0: it gets no reads. */
    public boolean inRotation(String server) {
        return weight(server) > 0;
    }

    public ReplicaLoad load() {
        return load;
    }

    /** The replica for the next read, taking a turn; null when none of {@code candidates} is in rotation. */
    public ServerHealth choose(List<ServerHealth> candidates) {
        return select(candidates, turn.getAndIncrement());
    }

    /**
     * The replica for a session's next read: with session affinity the one named {@code sessionReplica} while it
     * is among {@code candidates} and in rotation, taking no turn; otherwise as {@link #choose}.
     */
    public ServerHealth choose(List<ServerHealth> candidates, String sessionReplica) {
        ServerHealth kept = kept(candidates, sessionReplica);
        return kept != null ? kept : choose(candidates);
    }

    /** The replica {@link #choose} would pick now, without taking the turn (EXPLAIN (ROUTE)). */
    public ServerHealth peek(List<ServerHealth> candidates) {
        return select(candidates, turn.get());
    }

    /** The replica {@link #choose(List, String)} would pick now, without taking the turn. */
    public ServerHealth peek(List<ServerHealth> candidates, String sessionReplica) {
        ServerHealth kept = kept(candidates, sessionReplica);
        return kept != null ? kept : peek(candidates);
    }

    private ServerHealth kept(List<ServerHealth> candidates, String sessionReplica) {
        if (affinity != ReplicaAffinity.SESSION || sessionReplica == null || !inRotation(sessionReplica)) {
            return null;
        }
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.get(i).name().equals(sessionReplica)) {
                return candidates.get(i);
            }
        }
        return null;
    }

    private ServerHealth select(List<ServerHealth> candidates, int ticket) {
        if (candidates.size() <= 1) {
            return candidates.isEmpty() || !inRotation(candidates.get(0).name()) ? null : candidates.get(0);
        }
        return switch (policy) {
            case ROUND_ROBIN -> inTurn(candidates, ticket);
            case LEAST_BUSY -> inTurn(leastBusy(candidates), ticket);
            case LOWEST_LATENCY -> inTurn(fastest(candidates), ticket);
        };
    }

    /** Weighted turns: the ticket falls into a slot of the cumulative weights. */
    private ServerHealth inTurn(List<ServerHealth> candidates, int ticket) {
        int total = 0;
        for (int i = 0; i < candidates.size(); i++) {
            total += weight(candidates.get(i).name());
        }
        if (total == 0) {
            return null;
        }
        int slot = Math.floorMod(ticket, total);
        for (int i = 0; i < candidates.size(); i++) {
            slot -= weight(candidates.get(i).name());
            if (slot < 0) {
                return candidates.get(i);
            }
        }
        throw new IllegalStateException("weights changed during the choice");
    }

    private List<ServerHealth> leastBusy(List<ServerHealth> candidates) {
        int fewest = Integer.MAX_VALUE;
        List<ServerHealth> least = new ArrayList<>(candidates.size());
        for (ServerHealth replica : candidates) {
            if (!inRotation(replica.name())) {
                continue;
            }
            int busy = load.inFlight(replica.name());
            if (busy < fewest) {
                fewest = busy;
                least.clear();
            }
            if (busy == fewest) {
                least.add(replica);
            }
        }
        return least;
    }

    private List<ServerHealth> fastest(List<ServerHealth> candidates) {
        long best = Long.MAX_VALUE;
        for (ServerHealth replica : candidates) {
            long latency = load.latencyNanos(replica.name());
            if (inRotation(replica.name()) && latency >= 0) {
                best = Math.min(best, latency);
            }
        }
        long limit = best == Long.MAX_VALUE ? Long.MAX_VALUE : best + Math.max(BAND_FLOOR_NANOS, best / 2);
        List<ServerHealth> band = new ArrayList<>(candidates.size());
        for (ServerHealth replica : candidates) {
            long latency = load.latencyNanos(replica.name());
            if (inRotation(replica.name()) && latency <= limit) {
                band.add(replica);
            }
        }
        return band;
    }
}
