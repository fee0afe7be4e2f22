package io.pgsplit.health;

import java.time.Duration;
import java.util.List;

/** Sets the servers' observations against each other: who is primary, whether there is split brain, how far replicas lag. */
final class TopologyBuilder {

    private static final double NANOS_PER_SECOND = 1e9;

    private TopologyBuilder() {
    }

    static Topology build(long version, List<ServerObservation> observations, HealthSettings settings) {
        List<ServerObservation> primaries = observations.stream().filter(ServerObservation::isUpPrimary).toList();
        boolean splitBrain = primaries.size() > 1;
        long primaryLsn = primaries.size() == 1 ? primaries.get(0).walLsn() : Lsn.UNKNOWN;
        List<ServerHealth> servers = observations.stream().map(observation -> health(observation, primaryLsn)).toList();
        List<ServerHealth> readable = servers.stream()
                .filter(ServerHealth::isReplica)
                .filter(replica -> withinLagLimits(replica, settings))
                .toList();
        return new Topology(version, servers, splitBrain, readable);
    }

    private static ServerHealth health(ServerObservation observation, long primaryLsn) {
        ProbeResult probe = observation.lastSuccess();
        long lagBytes = -1;
        double lagSeconds = -1;
        if (observation.isUpReplica() && primaryLsn >= 0 && probe.walLsn() >= 0) {
            // The two LSNs come from separate probes, so a replica can look ahead of the primary's older sample.
            lagBytes = Math.max(0, primaryLsn - probe.walLsn());
            // The last replayed transaction may be old merely because nothing was written since: caught up means no lag.
            lagSeconds = lagBytes == 0 ? 0 : probe.replayAgeSeconds();
        }
        return new ServerHealth(observation.address(), observation.up(), observation.role(), observation.walLsn(),
                lagBytes, lagSeconds, probe == null ? -1 : probe.timeline(), observation.lastProbe(),
                observation.lastError());
    }

    /** Unknown lag never satisfies a limit: a limit promises bounded staleness, which cannot be checked without a primary. */
    private static boolean withinLagLimits(ServerHealth replica, HealthSettings settings) {
        long maxBytes = settings.maxReplicaLagBytes();
        if (maxBytes >= 0 && (replica.lagBytes() < 0 || replica.lagBytes() > maxBytes)) {
            return false;
        }
        Duration maxTime = settings.maxReplicaLagTime();
        return maxTime == null
                || replica.lagSeconds() >= 0 && replica.lagSeconds() <= maxTime.toNanos() / NANOS_PER_SECOND;
    }
}
