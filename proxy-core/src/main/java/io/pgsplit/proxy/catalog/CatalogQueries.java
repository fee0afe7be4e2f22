package io.pgsplit.proxy.catalog;

import io.pgsplit.health.MonitorConnections;

/**
 * The catalog queries, read-only; PostgreSQL 11 or later ({@code prokind}). Each starts with pgsplit's marker
 * comment ({@link MonitorConnections#MARKER}).
 */
final class CatalogQueries {

    /** {@code prosqlbody} (SQL-standard bodies, {@code BEGIN ATOMIC}) exists from PostgreSQL 14 on. */
    private static final String BODY_14 = "CASE WHEN p.prosqlbody IS NOT NULL"
            + " THEN pg_catalog.pg_get_function_sqlbody(p.oid) ELSE p.prosrc END";

    private static final String FUNCTIONS = MonitorConnections.MARKER + """
            SELECT p.oid, n.nspname, p.proname, p.prokind, p.provolatile, p.proparallel, l.lanname,
                   CASE WHEN l.lanname IN ('sql', 'plpgsql') AND n.nspname <> 'pg_catalog' THEN %s END,
                   CASE WHEN p.prokind = 'a' THEN pg_catalog.array_to_string(pg_catalog.array_remove(ARRAY[
                       a.aggtransfn::oid, a.aggfinalfn::oid, a.aggcombinefn::oid, a.aggserialfn::oid,
                       a.aggdeserialfn::oid, a.aggmtransfn::oid, a.aggminvtransfn::oid, a.aggmfinalfn::oid],
                       0::oid), ',') END
            FROM pg_catalog.pg_proc p
            JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
            JOIN pg_catalog.pg_language l ON l.oid = p.prolang
            LEFT JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid""";

    /** Views outside the system schemas, and what their rewrite rule depends on (operators by their function). */
    static final String VIEWS = MonitorConnections.MARKER + """
            SELECT v.oid, n.nspname, v.relname,
                   coalesce(pg_catalog.string_agg(DISTINCT (CASE
                       WHEN d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass THEN d.refobjid
                       WHEN d.refclassid = 'pg_catalog.pg_operator'::pg_catalog.regclass THEN o.oprcode::oid
                       END)::text, ','), ''),
                   coalesce(pg_catalog.string_agg(DISTINCT (CASE
                       WHEN d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid <> v.oid
                       THEN d.refobjid END)::text, ','), '')
            FROM pg_catalog.pg_class v
            JOIN pg_catalog.pg_namespace n ON n.oid = v.relnamespace
            JOIN pg_catalog.pg_rewrite r ON r.ev_class = v.oid
            JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid = r.oid
            LEFT JOIN pg_catalog.pg_operator o
                   ON d.refclassid = 'pg_catalog.pg_operator'::pg_catalog.regclass AND o.oid = d.refobjid
            WHERE v.relkind = 'v' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            GROUP BY v.oid, n.nspname, v.relname""";

    static final String SCHEMAS = MonitorConnections.MARKER + "SELECT nspname FROM pg_catalog.pg_namespace";

    /** search_path set with ALTER ROLE / ALTER DATABASE for this database: role ('' for all), per database, value. */
    static final String SEARCH_PATH_SETTINGS = MonitorConnections.MARKER + """
            SELECT coalesce(r.rolname, ''), s.setdatabase <> 0, substr(c, length('search_path=') + 1)
            FROM pg_catalog.pg_db_role_setting s
            LEFT JOIN pg_catalog.pg_roles r ON r.oid = s.setrole
            CROSS JOIN LATERAL pg_catalog.unnest(s.setconfig) c
            WHERE s.setdatabase IN (0, (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()))
              AND c LIKE 'search_path=%'""";

    /**
     * The server's own search_path (config file, command line). When this login's role or database sets one, the
     * reset value is that, and the compiled-in default is taken instead (the config file is not readable here).
     */
    static final String SERVER_SEARCH_PATH = MonitorConnections.MARKER
            + "SELECT CASE WHEN source IN ('database', 'user', 'database user') THEN boot_val ELSE reset_val END"
            + " FROM pg_catalog.pg_settings WHERE name = 'search_path'";

    static final String DATABASES = MonitorConnections.MARKER
            + "SELECT datname FROM pg_catalog.pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname";

    static final String SERVER_VERSION = MonitorConnections.MARKER
            + "SELECT pg_catalog.current_setting('server_version_num')::int";

    private CatalogQueries() {
    }

    static String functions(int serverVersion) {
        return FUNCTIONS.formatted(serverVersion >= 140000 ? BODY_14 : "p.prosrc");
    }
}
