package io.pgsplit.proxy.config;

import io.pgsplit.router.RouterSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What is valid but most likely a mistake in a configuration: {@code check-config} prints these and the proxy
 * logs them at start, as warnings. Nothing here asks a server; {@link ConnectionBudget} does that part.
 */
public final class ConfigWarnings {
    private ConfigWarnings() {
    }

    public static List<String> of(PgSplitConfig config) {
        List<String> warnings = new ArrayList<>();
        List<String> missing = missingWriteFunctions(config.routing().writeFunctions());
        if (!missing.isEmpty()) {
            warnings.add("routing.write_functions leaves out " + String.join(", ", missing)
                    + ": a SELECT calling them is sent to a replica (where it fails with 25006) unless the routing"
                    + " catalog knows them as volatile; keep the defaults and add names with"
                    + " routing.extra_write_functions");
        }
        return warnings;
    }

    /** The built-in write functions that no entry (a name, or a prefix ending in {@code *}) covers any more. */
    private static List<String> missingWriteFunctions(List<String> configured) {
        List<String> missing = new ArrayList<>();
        for (String builtIn : new TreeSet<>(RouterSettings.DEFAULT_WRITE_FUNCTIONS)) {
            if (configured.stream().noneMatch(entry -> covers(entry, builtIn))) {
                missing.add(builtIn);
            }
        }
        return missing;
    }

    private static boolean covers(String entry, String function) {
        return entry.endsWith("*") ? function.startsWith(entry.substring(0, entry.length() - 1)) : entry.equals(function);
    }
}
