package io.pgsplit.proxy.catalog;

import io.pgsplit.proxy.state.SessionSettings;
import io.pgsplit.router.Classification;
import io.pgsplit.router.CodeCalls;
import io.pgsplit.router.SearchPathSetting;
import io.pgsplit.router.catalog.CatalogRouting;
import io.pgsplit.router.catalog.FunctionCatalog;
import io.pgsplit.router.catalog.SearchPath;
import io.pgsplit.router.catalog.SessionRisk;

/**
 * One session's view of the routing catalog: its database's snapshot and its search_path (set at startup or with
 * SET, else the role's and database's default from the catalog). Judges the classification of each statement that
 * may run on a replica; statements without function calls cost one branch. Runs on the session's event loop.
 */
public final class SessionCatalog {
    private static final String SEARCH_PATH = "search_path";

    private final CatalogRegistry registry;
    private final String database;
    private final String user;
    private final SessionSettings settings;
    private long parsedVersion = -1;
    private String parsedStatement;
    private SearchPath parsedPath;
    /** The registry's entry for this database, kept once looked up: read per statement, it never changes. */
    private DatabaseCatalog databaseCatalog;

    public SessionCatalog(CatalogRegistry registry, String database, String user, SessionSettings settings) {
        this.registry = registry;
        this.database = database;
        this.user = user;
        this.settings = settings;
    }

    /** {@code classification} of {@code sql}, sent to the primary when the catalog says a call may write. */
    public Classification judge(Classification classification, String sql) {
        if (classification.requiresPrimary() || !registry.enabled()) {
            return classification;
        }
        FunctionCatalog catalog = current();
        if (classification.functions().isEmpty() && (catalog == null || !catalog.hasWritingViews())) {
            return classification;
        }
        return CatalogRouting.apply(classification, sql, catalog, searchPath(catalog), user);
    }

    /**
     * Whether the code {@code classification} runs may change session state pgsplit cannot follow: any call not
     * proven built-in by the catalog (or, without one, by {@link io.pgsplit.router.catalog.SessionNeutralBuiltins}).
     */
    public SessionRisk sessionRisk(Classification classification) {
        CodeCalls code = classification.code();
        if (code.isEmpty()) {
            return SessionRisk.NONE;
        }
        FunctionCatalog catalog = registry.enabled() ? current() : null;
        return SessionRisk.of(code, catalog, catalog == null ? null : searchPath(catalog), user);
    }

    private FunctionCatalog current() {
        DatabaseCatalog held = databaseCatalog;
        if (held == null) {
            held = registry.catalogOf(database);
            databaseCatalog = held;
        }
        return held.current();
    }

    /** The session's search_path now; null when its setting cannot be read (then no unqualified call is trusted). */
    public SearchPath searchPath(FunctionCatalog catalog) {
        if (settings.version() != parsedVersion) {
            parsedVersion = settings.version();
            String statement = settings.current().get(SEARCH_PATH);
            if (statement == null || !statement.equals(parsedStatement)) {
                parsedStatement = statement;
                parsedPath = statement == null ? null : SearchPathSetting.read(statement);
            }
        }
        if (parsedStatement == null) {
            return catalog == null ? SearchPath.DEFAULT : catalog.searchPathFor(user);
        }
        return parsedPath;
    }

    public String database() {
        return database;
    }

    public CatalogRegistry registry() {
        return registry;
    }
}
