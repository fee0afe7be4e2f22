package io.pgsplit.router.catalog;

import java.util.Set;

/**
 * The built-in ({@code pg_catalog}) functions that are VOLATILE only because their result changes from call to
 * call, not because they write: they run on a standby as well, so a read that calls them may go to a replica.
 * Every other volatile built-in sends its statement to the primary ({@code pg_current_wal_lsn()} cannot run on a
 * standby, {@code pg_switch_wal()} writes WAL, {@code setseed()} changes session state, …). The list is short on
 * purpose; {@code proparallel} cannot replace it, since built-ins such as {@code pg_switch_wal} are marked safe.
 */
public final class ReadOnlyBuiltins {

    public static final Set<String> NAMES = Set.of(
            // clocks and randomness
            "random", "random_normal", "clock_timestamp", "timeofday", "gen_random_uuid",
            "pg_sleep", "pg_sleep_for", "pg_sleep_until",
            // replication state, meaningful on a standby
            "pg_is_in_recovery", "pg_last_wal_receive_lsn", "pg_last_wal_replay_lsn",
            "pg_last_xact_replay_timestamp", "pg_is_wal_replay_paused", "pg_get_wal_replay_pause_state",
            // sizes
            "pg_relation_size", "pg_total_relation_size", "pg_table_size", "pg_indexes_size", "pg_database_size",
            "pg_tablespace_size",
            // server state
            "pg_blocking_pids", "pg_lock_status", "pg_jit_available", "pg_control_checkpoint", "pg_control_system");

    private ReadOnlyBuiltins() {
    }

    static boolean contains(String name) {
        return NAMES.contains(name);
    }
}
