package io.pgsplit.router.catalog;

import io.pgsplit.router.FunctionReference;
import io.pgsplit.router.LexedStatement;
import io.pgsplit.router.SqlLexer;
import io.pgsplit.router.TokenType;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An immutable snapshot of one database's functions, judged by {@link FunctionSafetyAnalysis}, for routing.
 * Overloads are merged by name per schema, and the merge is safe: one overload that may write makes the name
 * write, since the proxy does not resolve argument types. Lookups allocate nothing and take no lock.
 */
public final class FunctionCatalog {

    private final String database;
    private final long version;
    private final Instant loadedAt;
    private final Set<String> schemas;
    /** Function name, then schema, to the merged safety of its overloads there. */
    private final Map<String, Map<String, FunctionSafety>> functions;
    /** Views (outside the system schemas) whose query calls a function that may write: name, then schemas. */
    private final Map<String, Set<String>> writingViews;
    private final Map<String, SearchPath> roleSearchPaths;
    private final SearchPath databaseSearchPath;
    private final int functionCount;
    private final int writingFunctions;

    private FunctionCatalog(CatalogContents contents, Map<Long, FunctionSafety> safety, long version, Instant loadedAt) {
        this.database = contents.database();
        this.version = version;
        this.loadedAt = loadedAt;
        this.schemas = contents.schemas();
        this.functions = merge(contents.functions(), safety);
        this.writingViews = WritingViews.find(contents.views(), safety);
        this.roleSearchPaths = contents.roleSearchPaths();
        this.databaseSearchPath = contents.databaseSearchPath();
        this.functionCount = contents.functions().size();
        this.writingFunctions = (int) safety.values().stream().filter(s -> s == FunctionSafety.WRITES).count();
    }

    /** Analyses {@code contents}; {@code denied} are the deny-listed names, which always write. */
    public static FunctionCatalog of(CatalogContents contents, Predicate<String> denied, long version, Instant loadedAt) {
        Objects.requireNonNull(contents, "contents");
        return new FunctionCatalog(contents, FunctionSafetyAnalysis.analyze(contents.functions(), denied), version,
                loadedAt);
    }

    private static Map<String, Map<String, FunctionSafety>> merge(List<CatalogFunction> all,
                                                                  Map<Long, FunctionSafety> safety) {
        Map<String, Map<String, FunctionSafety>> merged = new HashMap<>();
        for (CatalogFunction function : all) {
            FunctionSafety own = safety.getOrDefault(function.oid(), FunctionSafety.WRITES);
            merged.computeIfAbsent(function.name(), name -> new HashMap<>(2))
                    .merge(function.schema(), own, (a, b) -> a == FunctionSafety.WRITES ? a : b);
        }
        return merged;
    }

    /**
     * Whether a call may run on a replica. A qualified call looks in its schema; an unqualified one in
     * {@code pg_catalog} and every schema of {@code path} (the server picks among them by argument types, so
     * all of them count). A null path (the session's could not be read), or a path naming a schema the snapshot
     * does not know ({@code "$user"} excepted: it usually names none), makes an unqualified call UNKNOWN.
     */
    public FunctionLookup lookup(FunctionReference call, SearchPath path, String user) {
        Map<String, FunctionSafety> bySchema = functions.get(call.name());
        if (call.qualified()) {
            FunctionSafety safety = bySchema == null ? null : bySchema.get(call.schema());
            return safety == null ? FunctionLookup.UNKNOWN : lookupOf(safety);
        }
        return unqualified(bySchema, path, user);
    }

    private FunctionLookup unqualified(Map<String, FunctionSafety> bySchema, SearchPath path, String user) {
        if (path == null) {
            return FunctionLookup.UNKNOWN;
        }
        FunctionSafety builtIn = bySchema == null ? null : bySchema.get(SearchPath.CATALOG_SCHEMA);
        if (builtIn == FunctionSafety.WRITES) {
            return FunctionLookup.WRITES;
        }
        boolean found = builtIn != null;
        List<String> entries = path.schemas();
        for (int i = 0; i < entries.size(); i++) {
            boolean userSchema = SearchPath.USER.equals(entries.get(i));
            String schema = userSchema ? user : entries.get(i);
            if (!schemas.contains(schema)) {
                if (!userSchema && !schema.equals("pg_temp")) {
                    return FunctionLookup.UNKNOWN; // created after this snapshot, perhaps with the very function
                }
                continue;
            }
            FunctionSafety safety = bySchema == null ? null : bySchema.get(schema);
            if (safety == FunctionSafety.WRITES) {
                return FunctionLookup.WRITES;
            }
            found |= safety != null;
        }
        return found ? FunctionLookup.READS : FunctionLookup.UNKNOWN;
    }

    /**
     * Whether a call can only reach a built-in ({@code pg_catalog}) function: qualified with {@code pg_catalog}, or
     * unqualified with no schema of {@code path} holding a function of that name (the server may pick any of them
     * by argument types) and no schema of the path unknown to this snapshot. A null path trusts no unqualified call.
     */
    public boolean isBuiltIn(FunctionReference call, SearchPath path, String user) {
        Map<String, FunctionSafety> bySchema = functions.get(call.name());
        if (bySchema == null || !bySchema.containsKey(SearchPath.CATALOG_SCHEMA)) {
            return false;
        }
        if (call.qualified()) {
            return SearchPath.CATALOG_SCHEMA.equals(call.schema());
        }
        if (path == null) {
            return false;
        }
        List<String> entries = path.schemas();
        for (int i = 0; i < entries.size(); i++) {
            boolean userSchema = SearchPath.USER.equals(entries.get(i));
            String schema = userSchema ? user : entries.get(i);
            if (schema.equals(SearchPath.CATALOG_SCHEMA) || schema.equals("pg_temp")) {
                continue; // temporary functions are never found by an unqualified call
            }
            if (!schemas.contains(schema) && !userSchema || bySchema.containsKey(schema)) {
                return false;
            }
        }
        return true;
    }

    /** True when the database has a view whose query calls a function that may write. */
    public boolean hasWritingViews() {
        return !writingViews.isEmpty();
    }

    /**
     * Whether {@code sql} names such a view anywhere (as a relation, or as any other name that matches one: a
     * column of the same name costs a replica read, never a wrong answer).
     */
    public boolean namesWritingView(String sql, SearchPath path, String user) {
        for (LexedStatement statement : SqlLexer.split(sql)) {
            for (int i = 0; i < statement.tokenCount(); i++) {
                TokenType type = statement.type(i);
                if ((type == TokenType.WORD || type == TokenType.QUOTED_IDENTIFIER)
                        && statement.type(i + 1) != TokenType.DOT && statement.type(i + 1) != TokenType.OPEN_PAREN
                        && isWritingView(statement, i, path, user)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean isWritingView(LexedStatement statement, int index, SearchPath path, String user) {
        Set<String> viewSchemas = writingViews.get(statement.identifier(index));
        if (viewSchemas == null) {
            return false;
        }
        if (statement.type(index - 1) == TokenType.DOT) {
            return viewSchemas.contains(statement.identifier(index - 2));
        }
        if (path == null) {
            return true;
        }
        for (String schema : path.resolvedFor(user)) {
            if (viewSchemas.contains(schema)) {
                return true;
            }
        }
        return false;
    }

    /** The search_path a session of {@code role} starts with in this database. */
    public SearchPath searchPathFor(String role) {
        return roleSearchPaths.getOrDefault(role, databaseSearchPath);
    }

    public String database() {
        return database;
    }

    /** Increases with every load of this database. */
    public long version() {
        return version;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    public int functionCount() {
        return functionCount;
    }

    /** How many functions may write (and send a read that calls them to the primary). */
    public int writingFunctions() {
        return writingFunctions;
    }

    public int writingViewCount() {
        int count = 0;
        for (Set<String> inSchemas : writingViews.values()) {
            count += inSchemas.size();
        }
        return count;
    }

    private static FunctionLookup lookupOf(FunctionSafety safety) {
        return safety == FunctionSafety.WRITES ? FunctionLookup.WRITES : FunctionLookup.READS;
    }

    /** Views whose query reaches a function that may write, directly or through other views. */
    private static final class WritingViews {
        private final Map<Long, CatalogView> byOid = new HashMap<>();
        private final Map<Long, Boolean> writes = new HashMap<>();
        private final Map<Long, FunctionSafety> safety;

        private WritingViews(List<CatalogView> views, Map<Long, FunctionSafety> safety) {
            this.safety = safety;
            views.forEach(view -> byOid.put(view.oid(), view));
        }

        static Map<String, Set<String>> find(List<CatalogView> views, Map<Long, FunctionSafety> safety) {
            WritingViews finder = new WritingViews(views, safety);
            Map<String, Set<String>> found = new HashMap<>();
            for (CatalogView view : views) {
                if (finder.writes(view, new HashSet<>())) {
                    found.computeIfAbsent(view.name(), name -> new HashSet<>(1)).add(view.schema());
                }
            }
            found.replaceAll((name, inSchemas) -> Set.copyOf(inSchemas));
            return Map.copyOf(found);
        }

        private boolean writes(CatalogView view, Set<Long> visiting) {
            Boolean known = writes.get(view.oid());
            if (known != null) {
                return known;
            }
            boolean result = false;
            for (Long function : view.functions()) {
                result |= safety.getOrDefault(function, FunctionSafety.WRITES) == FunctionSafety.WRITES;
            }
            if (!result && visiting.add(view.oid())) {
                for (Long inner : view.views()) {
                    CatalogView nested = byOid.get(inner);
                    result |= nested != null && writes(nested, visiting);
                }
            }
            writes.put(view.oid(), result);
            return result;
        }
    }
}
