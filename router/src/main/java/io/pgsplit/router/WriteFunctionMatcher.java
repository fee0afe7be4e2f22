package io.pgsplit.router;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Matches function names against the write-function deny-list (exact names and {@code prefix*} entries). */
final class WriteFunctionMatcher {

    private final Set<String> exactNames = new HashSet<>();
    private final List<String> prefixes;

    WriteFunctionMatcher(Set<String> entries) {
        List<String> prefixList = new ArrayList<>();
        for (String entry : entries) {
            if (entry.endsWith("*")) {
                prefixList.add(entry.substring(0, entry.length() - 1));
            } else {
                exactNames.add(entry);
            }
        }
        this.prefixes = List.copyOf(prefixList);
    }

    /**
     * True when the function's own name (schema qualification already removed) is on the deny-list. Matching
     * ignores case even for quoted names: a false match only costs a trip to the primary.
     */
    boolean matches(String functionName) {
        String name = functionName.toLowerCase(Locale.ROOT);
        if (exactNames.contains(name)) {
            return true;
        }
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
