package io.pgsplit.proxy.state;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The run-time parameters pgsplit has set on one server connection, relative to what the
 * connection started with, and which client's settings (and which version of them) it carries.
 * A connection is brought in line with a client by one injected simple Query.
 */
public final class ServerSettings {
    private final Map<String, String> applied;
    private SessionSettings owner;
    private long ownerVersion = -1;

    /** @param initial what the connection's own StartupMessage set (empty for a pooled connection) */
    public ServerSettings(Map<String, String> initial) {
        this.applied = new LinkedHashMap<>(initial);
    }

    /**
     * The statements that make this connection carry {@code client}'s settings, or null when it
     * does already; afterwards the connection counts as carrying them.
     */
    public String alignWith(SessionSettings client) {
        if (owner == client && ownerVersion == client.version()) {
            return null;
        }
        StringJoiner statements = new StringJoiner("; ");
        for (Map.Entry<String, String> wanted : client.current().entrySet()) {
            if (!wanted.getValue().equals(applied.get(wanted.getKey()))) {
                statements.add(wanted.getValue());
            }
        }
        for (String name : applied.keySet()) {
            if (!client.current().containsKey(name)) {
                statements.add("RESET " + StartupSettings.quoteIdentifier(name));
            }
        }
        applied.clear();
        applied.putAll(client.current());
        owner = client;
        ownerVersion = client.version();
        return statements.length() == 0 ? null : statements.toString();
    }

    /** True when the connection last carried another client's settings (or none yet): it changes hands now. */
    public boolean changesHandsTo(SessionSettings client) {
        return owner != client;
    }

    /** The client changed its settings with a statement that ran on this very connection. */
    public void ranHere(SessionSettings client) {
        applied.clear();
        applied.putAll(client.current());
        owner = client;
        ownerVersion = client.version();
    }
}
