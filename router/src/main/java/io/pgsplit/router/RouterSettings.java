package io.pgsplit.router;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Router configuration.
 *
 * @param writeFunctions  functions whose call forces the primary; lower-case names, an entry ending in {@code *}
 *                        is a prefix. Only this list is consulted: user-defined functions that write cannot be
 *                        known to the proxy and must be listed here (or the query hinted).
 * @param cacheMaxEntries maximum number of SQL texts whose classification is cached (0 disables the cache)
 * @param parseTimeout    upper bound for one JSqlParser run; a parse that takes longer routes to the primary
 */
public record RouterSettings(Set<String> writeFunctions, long cacheMaxEntries, Duration parseTimeout) {

    /** Built-in functions that write, take locks, or depend on primary-only or per-session state. */
    public static final Set<String> DEFAULT_WRITE_FUNCTIONS = Set.of(
            // sequences (currval/lastval read per-session state set by nextval on the primary)
            "nextval", "setval", "currval", "lastval",
            // advisory locks, including the unlock and xact variants
            "pg_advisory*", "pg_try_advisory*",
            "set_config", "pg_notify",
            // assign a transaction id, which a standby cannot do
            "txid_current", "txid_current_if_assigned", "pg_current_xact_id", "pg_current_xact_id_if_assigned",
            // large objects
            "lo_*", "loread", "lowrite",
            // server administration
            "pg_cancel_backend", "pg_terminate_backend", "pg_reload_conf", "pg_rotate_logfile",
            "pg_switch_wal", "pg_switch_xlog", "pg_create_restore_point", "pg_promote",
            "pg_start_backup", "pg_backup_start", "pg_stop_backup", "pg_backup_stop",
            "pg_stat_reset*",
            // replication slots and origins
            "pg_create_physical_replication_slot", "pg_create_logical_replication_slot",
            "pg_copy_physical_replication_slot", "pg_copy_logical_replication_slot",
            "pg_drop_replication_slot", "pg_replication_slot_advance",
            "pg_logical_slot_get_changes", "pg_logical_slot_get_binary_changes", "pg_logical_emit_message",
            "pg_replication_origin_*",
            "dblink_exec");

    private static final long DEFAULT_CACHE_MAX_ENTRIES = 10_000;
    /** Generous because the very first JSqlParser run loads its large generated classes. */
    private static final Duration DEFAULT_PARSE_TIMEOUT = Duration.ofSeconds(1);

    public RouterSettings {
        Objects.requireNonNull(writeFunctions, "writeFunctions");
        Objects.requireNonNull(parseTimeout, "parseTimeout");
        if (cacheMaxEntries < 0) {
            throw new IllegalArgumentException("cacheMaxEntries must be >= 0: " + cacheMaxEntries);
        }
        if (parseTimeout.isNegative() || parseTimeout.isZero()) {
            throw new IllegalArgumentException("parseTimeout must be positive: " + parseTimeout);
        }
        writeFunctions = writeFunctions.stream()
                .map(name -> name.strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        if (writeFunctions.contains("") || writeFunctions.contains("*")) {
            throw new IllegalArgumentException("writeFunctions must not contain blank names or a bare '*'");
        }
    }

    /** The deny-list as a predicate over function names (without schema), for the catalog's analysis. */
    public Predicate<String> deniedFunctions() {
        return new WriteFunctionMatcher(writeFunctions)::matches;
    }

    public static RouterSettings defaults() {
        return new RouterSettings(DEFAULT_WRITE_FUNCTIONS, DEFAULT_CACHE_MAX_ENTRIES, DEFAULT_PARSE_TIMEOUT);
    }
}
