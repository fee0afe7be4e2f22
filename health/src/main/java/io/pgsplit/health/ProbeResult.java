package io.pgsplit.health;

/**
 * What one successful probe learned from a server.
 *
 * @param walLsn            primary: current WAL insert position; replica: last replayed position; -1 unknown
 * @param replayAgeSeconds  replica: server clock minus {@code pg_last_xact_replay_timestamp()}; -1 unknown
 * @param timeline          timeline of the latest checkpoint; -1 unknown
 */
record ProbeResult(boolean inRecovery, long walLsn, double replayAgeSeconds, int timeline) {

    Role role() {
        return inRecovery ? Role.REPLICA : Role.PRIMARY;
    }
}
