package io.pgsplit.proxy.catalog;

import io.pgsplit.router.catalog.FunctionCatalog;

/**
 * One database's routing catalog in {@code /status}.
 *
 * @param current whether the snapshot is used now (false before the first load and right after a change)
 */
public record CatalogStatus(String database, boolean current, Long version, String loadedAt, Integer functions,
                            Integer writingFunctions, Integer writingViews, String lastError) {

    static CatalogStatus of(DatabaseCatalog catalog) {
        FunctionCatalog latest = catalog.latest();
        if (latest == null) {
            return new CatalogStatus(catalog.database, false, null, null, null, null, null, catalog.lastError());
        }
        return new CatalogStatus(catalog.database, !catalog.stale(), latest.version(), latest.loadedAt().toString(),
                latest.functionCount(), latest.writingFunctions(), latest.writingViewCount(), catalog.lastError());
    }
}
