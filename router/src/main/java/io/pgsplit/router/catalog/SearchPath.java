package io.pgsplit.router.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A session's {@code search_path}: schema names in order, where {@link #USER} stands for {@code "$user"}, the
 * schema named like the current user. Unqualified function names are looked up in these schemas and, first and
 * implicitly, in {@code pg_catalog}.
 *
 * @param schemas the entries as the server stores them (quoted names exact, unquoted ones folded to lower case)
 */
public record SearchPath(List<String> schemas) {

    public static final String USER = "$user";
    public static final String CATALOG_SCHEMA = "pg_catalog";
    /** PostgreSQL's built-in default, {@code "$user", public}. */
    public static final SearchPath DEFAULT = new SearchPath(List.of(USER, "public"));

    public SearchPath {
        schemas = List.copyOf(schemas);
    }

    /**
     * Parses a value as the server parses the {@code search_path} setting in a config file, a startup packet or
     * {@code set_config()}: comma-separated names, unquoted ones folded to lower case, double-quoted ones kept
     * as written ({@code ""} is a quote). Returns null for text the server would reject.
     */
    public static SearchPath parse(String value) {
        Objects.requireNonNull(value, "value");
        List<String> names = new ArrayList<>();
        int i = skipSpaces(value, 0);
        if (i == value.length()) {
            return new SearchPath(names);
        }
        while (true) {
            StringBuilder name = new StringBuilder();
            if (i < value.length() && value.charAt(i) == '"') {
                i = quoted(value, i + 1, name);
                if (i < 0) {
                    return null;
                }
            } else {
                int start = i;
                while (i < value.length() && value.charAt(i) != ',' && !Character.isWhitespace(value.charAt(i))) {
                    i++;
                }
                if (i == start) {
                    return null;
                }
                name.append(value.substring(start, i).toLowerCase(Locale.ROOT));
            }
            names.add(name.toString());
            i = skipSpaces(value, i);
            if (i == value.length()) {
                return new SearchPath(names);
            }
            if (value.charAt(i) != ',') {
                return null;
            }
            i = skipSpaces(value, i + 1);
        }
    }

    /** The schemas searched for a user, {@code "$user"} replaced by its name, in order. */
    public List<String> resolvedFor(String user) {
        List<String> resolved = new ArrayList<>(schemas.size());
        for (String schema : schemas) {
            resolved.add(USER.equals(schema) ? user : schema);
        }
        return resolved;
    }

    /** The setting's text, with every name quoted where the server would need it. */
    @Override
    public String toString() {
        List<String> shown = new ArrayList<>(schemas.size());
        for (String schema : schemas) {
            shown.add(schema.matches("[a-z_][a-z0-9_$]*") ? schema : '"' + schema.replace("\"", "\"\"") + '"');
        }
        return String.join(", ", shown);
    }

    private static int quoted(String value, int from, StringBuilder name) {
        int i = from;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c != '"') {
                name.append(c);
                i++;
            } else if (i + 1 < value.length() && value.charAt(i + 1) == '"') {
                name.append('"');
                i += 2;
            } else {
                return i + 1;
            }
        }
        return -1;
    }

    private static int skipSpaces(String value, int from) {
        int i = from;
        while (i < value.length() && Character.isWhitespace(value.charAt(i))) {
            i++;
        }
        return i;
    }
}
