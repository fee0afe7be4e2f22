package io.pgsplit.router.catalog;

import io.pgsplit.router.CodeCalls;
import io.pgsplit.router.FunctionReference;
import java.util.List;

/**
 * Whether code a statement runs may have changed its connection's session state behind pgsplit's back, and why:
 * the reset rule of pooled connections. Only built-in functions are trusted, and of them not those that change
 * session state: a STABLE or IMMUTABLE user function can still call {@code set_config}.
 */
public enum SessionRisk {
    /** Every call is a built-in that leaves the session as it was. */
    NONE(null),
    /** A call of a function not proven built-in: user-defined, unknown, or shadowed by a schema of the search path. */
    FUNCTION("function"),
    /** A built-in that changes session state pgsplit does not follow ({@link SessionNeutralBuiltins#SESSION_CHANGING}). */
    SESSION_FUNCTION("session_function"),
    /** Code that no call names: a DO block, a maintenance command evaluating index or view expressions. */
    OPAQUE_CODE("opaque_code");

    private final String label;

    SessionRisk(String label) {
        this.label = label;
    }

    /** The {@code reason} label of {@code pgsplit_connection_resets_total}; null for NONE. */
    public String label() {
        return label;
    }

    /**
     * @param catalog the database's snapshot, or null when there is none to ask (routing.catalog off, not loaded
     *                yet): then only {@link SessionNeutralBuiltins#NAMES} count as built-in
     * @param path    the session's search_path; null when it could not be read (then no unqualified call is trusted)
     */
    public static SessionRisk of(CodeCalls code, FunctionCatalog catalog, SearchPath path, String user) {
        if (code.opaque()) {
            return OPAQUE_CODE;
        }
        List<FunctionReference> calls = code.calls();
        SessionRisk risk = NONE;
        for (int i = 0; i < calls.size(); i++) {
            FunctionReference call = calls.get(i);
            if (SessionNeutralBuiltins.SESSION_CHANGING.contains(call.name())) {
                risk = SESSION_FUNCTION;
            } else if (!(catalog == null ? allowListed(call) : catalog.isBuiltIn(call, path, user))) {
                return FUNCTION;
            }
        }
        return risk;
    }

    private static boolean allowListed(FunctionReference call) {
        return (!call.qualified() || SearchPath.CATALOG_SCHEMA.equals(call.schema()))
                && SessionNeutralBuiltins.NAMES.contains(call.name());
    }
}
