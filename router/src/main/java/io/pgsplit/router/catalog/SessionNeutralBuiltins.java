package io.pgsplit.router.catalog;

import java.util.Set;

/**
 * Built-in functions known to leave a session as they found it, for {@code routing.catalog: off} (and while a
 * database's catalog is not loaded yet), when pgsplit cannot ask the catalog whether a name is built-in: a call of
 * any other name counts as code that may change session state, and its pooled connection is reset before the next
 * client. With the catalog, every {@code pg_catalog} function counts as built-in, except {@link #SESSION_CHANGING}.
 * A user function that overloads one of these names in a schema of the search path is not told apart without the
 * catalog (README, Security).
 */
public final class SessionNeutralBuiltins {

    /** The documented allow-list (README, Security); names are matched without schema or with {@code pg_catalog}. */
    public static final Set<String> NAMES = Set.of(
            // aggregates and window functions
            "count", "sum", "avg", "min", "max", "array_agg", "string_agg", "bool_and", "bool_or", "every",
            "json_agg", "jsonb_agg", "json_object_agg", "jsonb_object_agg", "stddev", "stddev_pop", "stddev_samp",
            "variance", "var_pop", "var_samp", "percentile_cont", "percentile_disc", "mode", "row_number", "rank",
            "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value", "last_value",
            "nth_value",
            // strings
            "lower", "upper", "length", "char_length", "character_length", "octet_length", "substr", "substring",
            "left", "right", "concat", "concat_ws", "replace", "split_part", "strpos", "btrim", "ltrim", "rtrim",
            "lpad", "rpad", "repeat", "reverse", "initcap", "md5", "format", "regexp_replace", "regexp_match",
            "regexp_matches", "regexp_split_to_array", "regexp_split_to_table", "translate", "to_char", "to_number",
            "to_date", "to_timestamp", "quote_ident", "quote_literal", "quote_nullable", "starts_with", "encode",
            "decode", "ascii", "chr",
            // numbers
            "abs", "ceil", "ceiling", "floor", "round", "trunc", "mod", "power", "pow", "sqrt", "exp", "ln", "log",
            "sign", "random", "width_bucket",
            // dates and times
            "now", "date_trunc", "date_part", "date_bin", "age", "clock_timestamp", "statement_timestamp",
            "transaction_timestamp", "make_date", "make_time", "make_interval", "make_timestamp", "make_timestamptz",
            "justify_days", "justify_hours", "justify_interval", "isfinite", "timezone",
            // json
            "to_json", "to_jsonb", "row_to_json", "array_to_json", "json_build_object", "jsonb_build_object",
            "json_build_array", "jsonb_build_array", "json_extract_path", "jsonb_extract_path",
            "json_extract_path_text", "jsonb_extract_path_text", "jsonb_set", "jsonb_insert", "json_array_length",
            "jsonb_array_length", "json_array_elements", "jsonb_array_elements", "json_array_elements_text",
            "jsonb_array_elements_text", "json_each", "jsonb_each", "json_each_text", "jsonb_each_text",
            "json_object_keys", "jsonb_object_keys", "json_typeof", "jsonb_typeof", "jsonb_pretty",
            "jsonb_strip_nulls", "jsonb_path_query", "jsonb_path_exists", "jsonb_path_match",
            // arrays and sets
            "array_length", "array_position", "array_positions", "array_remove", "array_replace", "array_append",
            "array_prepend", "array_cat", "array_to_string", "string_to_array", "unnest", "cardinality",
            "array_upper", "array_lower", "array_dims", "generate_series", "generate_subscripts",
            // the session and the server, read only
            "current_setting", "version", "current_database", "current_schema", "current_schemas",
            "pg_backend_pid", "pg_is_in_recovery", "pg_last_wal_replay_lsn", "pg_last_wal_receive_lsn",
            "pg_last_xact_replay_timestamp", "inet_server_addr", "inet_server_port", "gen_random_uuid",
            "pg_typeof", "format_type", "pg_size_pretty", "pg_relation_size", "pg_total_relation_size",
            "pg_table_size", "pg_indexes_size", "pg_database_size", "has_table_privilege", "has_schema_privilege",
            "has_database_privilege", "has_function_privilege", "pg_has_role", "obj_description", "col_description",
            "pg_get_viewdef", "pg_get_functiondef", "pg_get_indexdef", "pg_get_constraintdef", "pg_get_expr",
            "pg_sleep", "pg_listening_channels");

    /**
     * Built-ins that change session state pgsplit does not follow: settings set with computed arguments, the
     * session's random seed, session-level advisory locks, a replication origin, a backup, temporary slots. The
     * transaction-level advisory locks end with their transaction, and a pooled connection goes back only outside one.
     */
    public static final Set<String> SESSION_CHANGING = Set.of(
            "set_config", "setseed", "pg_advisory_lock", "pg_advisory_lock_shared", "pg_try_advisory_lock",
            "pg_try_advisory_lock_shared", "pg_replication_origin_session_setup", "pg_backup_start",
            "pg_start_backup", "pg_create_physical_replication_slot", "pg_create_logical_replication_slot",
            "pg_copy_physical_replication_slot", "pg_copy_logical_replication_slot");

    private SessionNeutralBuiltins() {
    }
}
