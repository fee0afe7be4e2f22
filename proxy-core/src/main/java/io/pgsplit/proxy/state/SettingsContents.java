package io.pgsplit.proxy.state;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared, read-only instance per distinct set of session settings, so that a pooled connection changing hands
 * between clients that set the same things (the usual case: one application, one driver) is recognised as in line
 * by comparing two references instead of two maps. Bounded: once full, a new content is handed back as its own
 * copy, which only costs the map comparison the reference check would have saved.
 */
final class SettingsContents {
    /** The process's table: distinct settings are few (per application and driver), 4096 is plenty. */
    static final SettingsContents SHARED = new SettingsContents(4096);

    private final ConcurrentHashMap<Map<String, String>, Map<String, String>> contents = new ConcurrentHashMap<>();
    private final int maxContents;

    SettingsContents(int maxContents) {
        this.maxContents = maxContents;
    }

    /** The shared read-only instance equal to {@code settings} (a copy, keeping its order). */
    Map<String, String> of(Map<String, String> settings) {
        Map<String, String> known = contents.get(settings);
        if (known != null) {
            return known;
        }
        Map<String, String> copy = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        if (contents.size() >= maxContents) {
            return copy;
        }
        Map<String, String> raced = contents.putIfAbsent(copy, copy);
        return raced != null ? raced : copy;
    }
}
