package io.pgsplit.router.catalog;

import io.pgsplit.router.RouterSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A small database catalog with one function, view and schema for each case the routing corpus names. */
final class CatalogFixture {
    static final long CREATE_ORDER = 100;
    static final long LOWER = 2;

    private final List<CatalogFunction> functions = new ArrayList<>();
    private long nextOid = 1000;

    private CatalogFixture() {
    }

    static FunctionCatalog catalog() {
        return FunctionCatalog.of(contents(), RouterSettings.defaults().deniedFunctions(), 1, Instant.EPOCH);
    }

    static CatalogContents contents() {
        CatalogFixture fixture = new CatalogFixture();
        fixture.builtIns();
        fixture.userFunctions();
        List<CatalogView> views = List.of(
                new CatalogView(5001, "public", "v_orders", List.of(CREATE_ORDER), List.of()),
                new CatalogView(5002, "public", "v_plain", List.of(LOWER), List.of(7000L)),
                new CatalogView(5003, "app", "v_nested", List.of(), List.of(5001L)));
        return new CatalogContents("app", Set.of("pg_catalog", "public", "app", "information_schema"),
                fixture.functions, views, Map.of("tenant", new SearchPath(List.of("app", "public"))),
                SearchPath.DEFAULT);
    }

    private void builtIns() {
        add(LOWER, "pg_catalog", "lower", 'f', 'i', 's', "internal", null);
        builtIn("now", 's');
        builtIn("upper", 'i');
        builtIn("current_setting", 's');
        builtIn("generate_series", 'i');
        builtIn("numeric", 'i');
        builtIn("varchar", 'i');
        builtIn("random", 'v');
        builtIn("clock_timestamp", 'v');
        builtIn("gen_random_uuid", 'v');
        builtIn("pg_sleep", 'v');
        builtIn("pg_is_in_recovery", 'v');
        builtIn("pg_current_wal_lsn", 'v');
        builtIn("nextval", 'v');
        builtIn("setseed", 'v');
        builtIn("txid_current", 's');
        long increment = builtIn("int8inc", 'i');
        functions.add(new CatalogFunction(nextOid++, "pg_catalog", "count", 'a', 'i', 's', "internal", null,
                List.of(increment)));
    }

    private void userFunctions() {
        add(CREATE_ORDER, "public", "create_order", 'f', 'v', 'u', "plpgsql",
                "BEGIN INSERT INTO orders(item) VALUES (item) RETURNING id INTO new_id; RETURN new_id; END");
        user("get_user", 'v', "sql", "SELECT name FROM users WHERE id = $1");
        user("stable_lookup", 's', "sql", "SELECT 1");
        user("audit_then_read", 'v', "plpgsql", "BEGIN PERFORM create_order(1); RETURN 1; END");
        user("read_only_pl", 'v', "plpgsql",
                "DECLARE v text; BEGIN IF (x > 0) THEN v := lower('A'); END IF; -- UPDATE nothing\n"
                        + "RETURN QUERY SELECT now(), 'DELETE FROM t' FROM t; END");
        user("recursive_read", 'v', "plpgsql", "BEGIN IF n > 0 THEN RETURN recursive_read(n - 1); END IF; END");
        user("dynamic_sql", 'v', "plpgsql", "BEGIN EXECUTE format('SELECT %s', 1); END");
        user("locker", 'v', "plpgsql", "BEGIN PERFORM 1 FROM t FOR SHARE; END");
        user("setter", 'v', "plpgsql", "BEGIN SET search_path = app; END");
        user("calls_unknown", 'v', "plpgsql", "BEGIN RETURN missing_function(1); END");
        add(nextOid++, "public", "c_safe", 'f', 'v', 's', "c", null);
        add(nextOid++, "public", "c_unsafe", 'f', 'v', 'u', "c", null);
        user("over", 's', "sql", "SELECT 1");
        add(nextOid++, "public", "over", 'f', 'v', 'u', "c", null);
        functions.add(new CatalogFunction(nextOid++, "public", "my_agg", 'a', 'i', 's', "internal", null,
                List.of(CREATE_ORDER)));
        add(nextOid++, "public", "make_report", 'p', 'v', 'u', "plpgsql", "BEGIN END");
        add(nextOid++, "app", "lookup", 'f', 's', 's', "sql", "SELECT 1");
        add(nextOid++, "app", "get_user", 'f', 'v', 'u', "plpgsql", "BEGIN DELETE FROM users; END");
    }

    private long builtIn(String name, char volatility) {
        long oid = nextOid++;
        add(oid, "pg_catalog", name, 'f', volatility, 's', "internal", null);
        return oid;
    }

    private void user(String name, char volatility, String language, String body) {
        add(nextOid++, "public", name, 'f', volatility, 'u', language, body);
    }

    private void add(long oid, String schema, String name, char kind, char volatility, char parallel, String language,
                     String body) {
        functions.add(new CatalogFunction(oid, schema, name, kind, volatility, parallel, language, body, List.of()));
    }
}
