package io.pgsplit.router.catalog;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a catalog loader read from one database, before analysis.
 *
 * @param schemas            every schema of the database
 * @param roleSearchPaths    search_path set for a role in this database ({@code ALTER ROLE … [IN DATABASE …] SET})
 * @param databaseSearchPath search_path a session starts with when its role sets none: the database's own
 *                           ({@code ALTER DATABASE … SET}), else the server's
 */
public record CatalogContents(String database, Set<String> schemas, List<CatalogFunction> functions,
                              List<CatalogView> views, Map<String, SearchPath> roleSearchPaths,
                              SearchPath databaseSearchPath) {

    public CatalogContents {
        Objects.requireNonNull(database, "database");
        schemas = Set.copyOf(schemas);
        functions = List.copyOf(functions);
        views = List.copyOf(views);
        roleSearchPaths = Map.copyOf(roleSearchPaths);
        Objects.requireNonNull(databaseSearchPath, "databaseSearchPath");
    }
}
