package io.pgsplit.router.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A view outside the system schemas and what its query depends on ({@code pg_depend} of its {@code pg_rewrite}
 * rule): the functions it calls, operators counted by their implementing function, and the views it reads.
 */
public record CatalogView(long oid, String schema, String name, List<Long> functions, List<Long> views) {

    public CatalogView {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
        functions = List.copyOf(functions);
        views = List.copyOf(views);
    }
}
