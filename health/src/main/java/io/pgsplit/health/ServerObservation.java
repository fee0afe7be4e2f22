package io.pgsplit.health;

import java.time.Instant;

/**
 * One server's debounced state before it is set against the others: lag can only be computed once the primary's
 * position is known.
 *
 * @param lastSuccess the latest successful probe, even if later ones failed; null if the server never answered
 * @param lastProbe   end of the latest probe; null before the first
 * @param lastError   why the latest probe failed; null if it succeeded
 */
record ServerObservation(ServerAddress address, boolean up, ProbeResult lastSuccess, Instant lastProbe,
                         String lastError) {

    static ServerObservation unprobed(ServerAddress address) {
        return new ServerObservation(address, false, null, null, null);
    }

    Role role() {
        return lastSuccess == null ? Role.UNKNOWN : lastSuccess.role();
    }

    long walLsn() {
        return lastSuccess == null ? Lsn.UNKNOWN : lastSuccess.walLsn();
    }

    boolean isUpPrimary() {
        return up && role() == Role.PRIMARY;
    }

    boolean isUpReplica() {
        return up && role() == Role.REPLICA;
    }
}
