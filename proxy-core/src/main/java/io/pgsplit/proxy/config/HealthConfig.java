package io.pgsplit.proxy.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How backends are probed to discover their role and whether they may serve reads.
 *
 * @param fall               consecutive failed probes before a server is taken out of rotation
 * @param rise               consecutive good probes before it is put back
 * @param maxReplicaLagBytes replicas further behind than this many WAL bytes serve no reads; -1 means no limit
 * @param maxReplicaLagTime  replicas whose last replayed transaction is older than this serve no reads
 * @param user               the login used for probes
 */
public record HealthConfig(Duration interval, Duration timeout, int fall, int rise, long maxReplicaLagBytes,
                           Optional<Duration> maxReplicaLagTime, String user, String password, String database) {
    public static final long NO_LAG_LIMIT = -1;

    public HealthConfig {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(maxReplicaLagTime, "maxReplicaLagTime");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(database, "database");
    }

    /** Masks the password: configs get logged. */
    @Override
    public String toString() {
        return "HealthConfig[interval=" + interval + ", timeout=" + timeout + ", fall=" + fall + ", rise=" + rise
                + ", maxReplicaLagBytes=" + maxReplicaLagBytes + ", maxReplicaLagTime=" + maxReplicaLagTime
                + ", user=" + user + ", password=***, database=" + database + "]";
    }
}
