package io.pgsplit.proxy.state;

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
    /** The settings being changed; {@link #content} is what they are after each change, as handed out. */
    private final Map<String, String> working;
    private Map<String, String> content;
    private long version;

    public SessionSettings(Map<String, String> startup) {
        this.startup = Map.copyOf(startup);
        this.working = new LinkedHashMap<>(startup);
        this.content = SettingsContents.SHARED.of(working);
    }

    public void set(String name, String statement) {
        if (!statement.equals(working.put(name, statement))) {
            changed();
        }
    }

    /** RESET goes back to what the client started with, or to the server's default. */
    public void reset(String name) {
        String initial = startup.get(name);
        String previous = initial == null ? working.remove(name) : working.put(name, initial);
        if (previous == null ? initial != null : !previous.equals(initial)) {
            changed();
        }
    }

    public void resetAll() {
        if (!working.equals(startup)) {
            working.clear();
            working.putAll(startup);
            changed();
        }
    }

    private void changed() {
        version++;
        content = SettingsContents.SHARED.of(working);
    }

    /**
     * The settings now, read-only and replaced (not changed) by the next change; the instance is shared with every
     * client whose settings are equal, while the shared table has room, so equal references mean equal settings.
     */
    public Map<String, String> current() {
        return content;
    }

    public long version() {
        return version;
    }
}
