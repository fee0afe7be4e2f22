package io.pgsplit.health;

import java.time.Instant;
import java.util.Objects;

/**
 * One server as the health monitor last saw it. A server that is down keeps the role and positions of its last
 * successful probe, so operators can tell which primary went away; routing must look at {@link #isPrimary()} and
 * {@link #isReplica()}, which require {@code up}.
 *
 * @param walLsn     primary: {@code pg_current_wal_lsn()}, replica: {@code pg_last_wal_replay_lsn()}; -1 unknown
 * @param lagBytes   replica: the primary's current LSN minus this replay LSN, clamped at 0; -1 unknown
 * @param lagSeconds replica: 0 when caught up, else the age of the last replayed transaction; -1 unknown
 * @param timeline   timeline of the latest checkpoint; -1 unknown
 * @param lastProbe  end of the latest probe, successful or not; null before the first
 * @param lastError  why the latest probe failed; null if it succeeded
 */
public record ServerHealth(ServerAddress address, boolean up, Role role, long walLsn, long lagBytes, double lagSeconds,
                           int timeline, Instant lastProbe, String lastError) {

    public ServerHealth {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(role, "role");
    }

    public boolean isPrimary() {
        return up && role == Role.PRIMARY;
    }

    public boolean isReplica() {
        return up && role == Role.REPLICA;
    }

    public String name() {
        return address.name();
    }
}
