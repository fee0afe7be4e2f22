package io.pgsplit.proxy.statements;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The prepared statements one server connection holds, by name. Pooled connections serve many
 * clients, so a definition counts as present only if the server holds the same Parse message
 * (same name, SQL and parameter types) — whichever client sent it; a same-named statement of other
 * content is closed, invisibly, before the client's is prepared.
 */
public final class ServerStatements {
    private final Map<String, PreparedStatementDef> prepared = new HashMap<>();

    /** True when this server holds a statement equal to {@code def} under its name. */
    public boolean has(PreparedStatementDef def) {
        PreparedStatementDef held = prepared.get(def.name());
        return held == def || held != null && Arrays.equals(held.parseMessage(), def.parseMessage());
    }

    /** True when this server holds some statement of that name; the unnamed one never needs closing. */
    public boolean holds(String name) {
        return !name.isEmpty() && prepared.containsKey(name);
    }

    public void prepared(PreparedStatementDef def) {
        prepared.put(def.name(), def);
    }

    public void closed(String name) {
        prepared.remove(name);
    }

    /** A simple Query replaces the server's unnamed statement. */
    public void unnamedDropped() {
        prepared.remove("");
    }

    /** DISCARD ALL or DEALLOCATE ALL ran here. */
    public void clear() {
        prepared.clear();
    }
}
