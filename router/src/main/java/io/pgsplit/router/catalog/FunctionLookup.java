package io.pgsplit.router.catalog;

/** What the catalog says about one call or relation name of a statement. */
public enum FunctionLookup {
    READS,
    WRITES,
    /** Not in the snapshot, or possibly hidden by a schema of the search_path that the snapshot does not know. */
    UNKNOWN
}
