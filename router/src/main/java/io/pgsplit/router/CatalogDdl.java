package io.pgsplit.router;

import java.util.Set;

/**
 * Recognises statements after which the routing catalog must be read again: they create, change or drop
 * functions, procedures, aggregates, views, schemas or extensions, or the search_path a role or database starts
 * with. DO blocks count too, since they may do any of that.
 */
public final class CatalogDdl {

    private static final Set<String> ROUTING_OBJECTS = Set.of(
            "FUNCTION", "PROCEDURE", "ROUTINE", "AGGREGATE", "VIEW", "RULE", "SCHEMA", "EXTENSION", "OPERATOR",
            "OWNED", "ROLE", "USER", "DATABASE");
    private static final Set<String> MODIFIERS = Set.of(
            "OR", "REPLACE", "TEMP", "TEMPORARY", "RECURSIVE", "MATERIALIZED", "TRUSTED", "PROCEDURAL");

    private CatalogDdl() {
    }

    /** True when a statement of {@code sql} may change what the catalog says about routing. */
    public static boolean changesRouting(String sql) {
        for (LexedStatement statement : SqlLexer.split(sql)) {
            if (changesRouting(statement)) {
                return true;
            }
        }
        return false;
    }

    private static boolean changesRouting(LexedStatement statement) {
        String verb = statement.word(0);
        if ("DO".equals(verb)) {
            return true;
        }
        if (!"CREATE".equals(verb) && !"ALTER".equals(verb) && !"DROP".equals(verb)) {
            return false;
        }
        int i = 1;
        while (MODIFIERS.contains(statement.word(i) == null ? "" : statement.word(i))) {
            i++;
        }
        String object = statement.word(i);
        return object != null && ROUTING_OBJECTS.contains(object);
    }
}
