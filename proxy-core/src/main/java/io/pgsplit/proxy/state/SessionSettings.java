package io.pgsplit.proxy.state;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run-time parameters one client expects on every server it uses: its startup settings, then
 * each successful session-level SET, RESET or set_config. Each value is kept as the statement that
 * sets it, so it can be replayed as written. The version changes with every change, so a connection
 * that is already up to date for this client is recognised without comparing maps.
 */
public final class SessionSettings {
    private final Map<String, String> startup;
    private final Map<String, String> current;
    /** One read-only view, handed out on every alignment instead of a new wrapper each time. */
    private final Map<String, String> view;
    private long version;

    public SessionSettings(Map<String, String> startup) {
        this.startup = Map.copyOf(startup);
        this.current = new LinkedHashMap<>(startup);
        this.view = Collections.unmodifiableMap(current);
    }

    public void set(String name, String statement) {
        if (!statement.equals(current.put(name, statement))) {
            version++;
        }
    }

    /** RESET goes back to what the client started with, or to the server's default. */
    public void reset(String name) {
        String initial = startup.get(name);
        String previous = initial == null ? current.remove(name) : current.put(name, initial);
        if (previous == null ? initial != null : !previous.equals(initial)) {
            version++;
        }
    }

    public void resetAll() {
        if (!current.equals(startup)) {
            current.clear();
            current.putAll(startup);
            version++;
        }
    }

    public Map<String, String> current() {
        return view;
    }

    public long version() {
        return version;
    }
}
