package io.pgsplit.router.catalog;

import io.pgsplit.router.Classification;
import io.pgsplit.router.FunctionReference;
import io.pgsplit.router.RouteReason;
import java.util.List;

/**
 * Judges a text-only {@link Classification} that may run on a replica against the database's catalog: a call
 * of a function that may write sends it to the primary ({@code volatile_function}), and so does a call the
 * catalog cannot place ({@code unknown_function}), or a view whose query calls a writing function. Cheap: one
 * hash lookup per call and schema of the search path; views are looked for only in databases that have such a
 * view. Never cached: the classification it starts from is, and a catalog refresh changes the answer at once.
 */
public final class CatalogRouting {

    private CatalogRouting() {
    }

    /**
     * @param sql     the statement text the classification is of, for the view check (null: no check)
     * @param catalog the database's snapshot; null when none is known, or while it is being reloaded after a change
     *                of routines made through this proxy: then every call is unknown
     * @param path    the session's search_path, or null when it could not be read
     */
    public static Classification apply(Classification classification, String sql, FunctionCatalog catalog,
                                       SearchPath path, String user) {
        if (classification.requiresPrimary()) {
            return classification;
        }
        List<FunctionReference> calls = classification.functions();
        if (catalog == null) {
            return calls.isEmpty() ? classification : classification.onPrimaryBecause(RouteReason.UNKNOWN_FUNCTION);
        }
        boolean unknown = false;
        for (int i = 0; i < calls.size(); i++) {
            FunctionLookup lookup = catalog.lookup(calls.get(i), path, user);
            if (lookup == FunctionLookup.WRITES) {
                return classification.onPrimaryBecause(RouteReason.VOLATILE_FUNCTION);
            }
            unknown |= lookup == FunctionLookup.UNKNOWN;
        }
        if (unknown) {
            return classification.onPrimaryBecause(RouteReason.UNKNOWN_FUNCTION);
        }
        if (sql != null && catalog.hasWritingViews() && catalog.namesWritingView(sql, path, user)) {
            return classification.onPrimaryBecause(RouteReason.VOLATILE_FUNCTION);
        }
        return classification;
    }
}
