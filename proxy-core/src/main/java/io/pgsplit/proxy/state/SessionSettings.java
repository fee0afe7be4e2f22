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
    /** What {@link #current} holds, as the instance shared by every client with the same settings. */
    private Map<String, String> content;
    private long version;

    public SessionSettings(Map<String, String> startup) {
        this.startup = Map.copyOf(startup);
        this.current = new LinkedHashMap<>(startup);
        this.view = Collections.unmodifiableMap(current);
        this.content = SettingsContents.SHARED.of(current);
    }

    public void set(String name, String statement) {
        if (!statement.equals(current.put(name, statement))) {
            changed();
        }
    }

    /** RESET goes back to what the client started with, or to the server's default. */
    public void reset(String name) {
        String initial = startup.get(name);
        String previous = initial == null ? current.remove(name) : current.put(name, initial);
        if (previous == null ? initial != null : !previous.equals(initial)) {
            changed();
        }
    }

    public void resetAll() {
        if (!current.equals(startup)) {
            current.clear();
            current.putAll(startup);
            changed();
        }
    }

    private void changed() {
        version++;
        content = SettingsContents.SHARED.of(current);
    }

    public Map<String, String> current() {
        return view;
    }

    /**
     * The same settings as {@link #current}, as an instance shared with every client whose settings are equal
     * (while the shared table has room): equal references mean equal settings.
     */
    public Map<String, String> content() {
        return content;
    }

    public long version() {
        return version;
    }
}
