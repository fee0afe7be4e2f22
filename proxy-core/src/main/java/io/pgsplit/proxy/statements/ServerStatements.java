package io.pgsplit.proxy.statements;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The client's prepared statements that one server connection holds, and the names it still holds
 * in an outdated version (the client closed them while talking to another server). An outdated
 * name is closed on this server, invisibly, before the name is used here again.
 */
public final class ServerStatements {
    private final Map<String, PreparedStatementDef> prepared = new HashMap<>();
    private final Set<String> outdated = new HashSet<>();

    /** True when this server holds exactly this definition under its name. */
    public boolean has(PreparedStatementDef def) {
        return prepared.get(def.name()) == def;
    }

    /**
     * True when the name exists here in another version that must be closed before {@code name} is
     * parsed here again. The unnamed statement never needs it: a Parse simply replaces it.
     */
    public boolean needsCloseBefore(String name, PreparedStatementDef incoming) {
        if (name.isEmpty()) {
            return false;
        }
        PreparedStatementDef current = prepared.get(name);
        return outdated.contains(name) || current != null && current != incoming;
    }

    /** True when the client closed this name while on another server and this server still has it. */
    public boolean isOutdated(String name) {
        return outdated.contains(name);
    }

    public void prepared(PreparedStatementDef def) {
        outdated.remove(def.name());
        prepared.put(def.name(), def);
    }

    public void closed(String name) {
        outdated.remove(name);
        prepared.remove(name);
    }

    /** The client closed the name elsewhere: this server's copy is stale from now on. */
    public void closedElsewhere(String name) {
        if (prepared.remove(name) != null) {
            outdated.add(name);
        }
    }

    /** A simple Query replaces the server's unnamed statement. */
    public void unnamedDropped() {
        prepared.remove("");
    }

    public void clear() {
        prepared.clear();
        outdated.clear();
    }
}
