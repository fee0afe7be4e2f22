package io.pgsplit.router.catalog;

import java.util.List;
import java.util.Objects;

/**
 * One row of {@code pg_proc}, as much of it as routing needs.
 *
 * @param kind       {@code prokind}: {@code f} function, {@code p} procedure, {@code a} aggregate, {@code w} window
 * @param volatility {@code provolatile}: {@code i} immutable, {@code s} stable, {@code v} volatile
 * @param parallel   {@code proparallel}: {@code s} safe, {@code r} restricted, {@code u} unsafe
 * @param language   {@code pg_language.lanname}
 * @param body       the source of a SQL or PL/pgSQL function outside {@code pg_catalog}, else null
 * @param calls      for an aggregate, the oids of its support functions (transition, final, combine, …)
 */
public record CatalogFunction(long oid, String schema, String name, char kind, char volatility, char parallel,
                              String language, String body, List<Long> calls) {

    public CatalogFunction {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(language, "language");
        calls = List.copyOf(calls);
    }

    boolean isVolatile() {
        return volatility == 'v';
    }

    boolean isBuiltIn() {
        return SearchPath.CATALOG_SCHEMA.equals(schema);
    }
}
