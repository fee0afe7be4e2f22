package io.pgsplit.router;

import java.util.Objects;

/**
 * A function call as written in a statement: {@code name(…)} or {@code schema.name(…)}, with the names
 * folded as the server folds them (unquoted parts in lower case, quoted parts exactly as written).
 *
 * @param schema the qualifying schema, or null when the call is resolved through the session's search_path
 */
public record FunctionReference(String schema, String name) {

    public FunctionReference {
        Objects.requireNonNull(name, "name");
    }

    public boolean qualified() {
        return schema != null;
    }

    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }
}
