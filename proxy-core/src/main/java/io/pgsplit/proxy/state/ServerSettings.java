package io.pgsplit.proxy.state;

import java.util.Map;
import java.util.StringJoiner;

/**
 * The run-time parameters pgsplit has set on one server connection, relative to what the
 * connection started with, and which client's settings (and which version of them) it carries.
 * A connection is brought in line with a client by one injected simple Query.
 */
public final class ServerSettings {
    private final Map<String, String> initial;
    /** Read-only, and usually the very instance of the settings it equals (see {@link SettingsContents}). */
    private Map<String, String> applied;
    private SessionSettings owner;
    private long ownerVersion = -1;

    /** @param initial what the connection's own StartupMessage set (empty for a pooled connection) */
    public ServerSettings(Map<String, String> initial) {
        this.initial = SettingsContents.SHARED.of(initial);
        this.applied = this.initial;
    }

    /** DISCARD ALL ran (RESET ALL among it): back to the startup settings, carried for nobody. */
    public void discarded() {
        applied = initial;
        owner = null;
        ownerVersion = -1;
    }

    /**
     * The statements that make this connection carry {@code client}'s settings, or null when it
     * does already; afterwards the connection counts as carrying them.
     */
    public String alignWith(SessionSettings client) {
        if (owner == client && ownerVersion == client.version()) {
            return null;
        }
        Map<String, String> wanted = client.current();
        if (wanted == applied) {
            // Another client with the very same settings: the connection changes hands as it is.
            owner = client;
            ownerVersion = client.version();
            return null;
        }
        StringJoiner statements = null;
        for (Map.Entry<String, String> setting : wanted.entrySet()) {
            if (!setting.getValue().equals(applied.get(setting.getKey()))) {
                statements = joined(statements, setting.getValue());
            }
        }
        if (applied.size() != wanted.size() || statements != null) {
            for (String name : applied.keySet()) {
                if (!wanted.containsKey(name)) {
                    statements = joined(statements, "RESET " + StartupSettings.quoteIdentifier(name));
                }
            }
        }
        applied = wanted;
        owner = client;
        ownerVersion = client.version();
        return statements == null ? null : statements.toString();
    }

    private static StringJoiner joined(StringJoiner statements, String statement) {
        StringJoiner joined = statements == null ? new StringJoiner("; ") : statements;
        return joined.add(statement);
    }

    /** True when the connection last carried another client's settings (or none yet): it changes hands now. */
    public boolean changesHandsTo(SessionSettings client) {
        return owner != client;
    }

    /** The client changed its settings with a statement that ran on this very connection. */
    public void ranHere(SessionSettings client) {
        applied = client.current();
        owner = client;
        ownerVersion = client.version();
    }
}
