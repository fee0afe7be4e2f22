package io.pgsplit.proxy.statements;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named prepared statements one server connection holds, under names of pgsplit's own
 * ({@code pgsplit_s<N>}), keyed by their content (SQL and parameter types) — as PgBouncer and PgDog
 * do. Clients' names never reach the server, so two clients using one name for different SQL never
 * meet, and a client using many names for one SQL costs the server one statement. The least
 * recently used statements beyond the limit are closed ahead of the next request, so a client that
 * floods unique Parses cannot grow the server's memory without bound.
 */
public final class ServerStatements {
    /** The prefix of every server-side name; a client's own name with it is never passed through. */
    public static final String PREFIX = "pgsplit_s";

    private final LinkedHashMap<String, Held> byContent = new LinkedHashMap<>(16, 0.75f, true);
    private final List<String> closesOwed = new ArrayList<>();
    /** The unnamed statement a client last parsed here, kept by its own name (""); null when none or unknown. */
    private PreparedStatementDef unnamed;
    private long nextNumber = 1;
    private long dispatch;

    /** One statement on the server; {@code dispatch} marks the last request that used it. */
    public static final class Held {
        private final String name;
        private long dispatch;

        private Held(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }
    }

    /** A new request is being prepared: what it uses from now on is not evicted for it. */
    public void beginDispatch() {
        dispatch++;
    }

    /** The statement of that content, marked most recently used, or null when the server lacks it. */
    public Held find(String contentKey) {
        Held held = byContent.get(contentKey);
        if (held != null) {
            held.dispatch = dispatch;
        }
        return held;
    }

    /** Records a statement about to be prepared here, under a fresh name. */
    public Held register(String contentKey) {
        Held held = new Held(PREFIX + nextNumber++);
        held.dispatch = dispatch;
        byContent.put(contentKey, held);
        return held;
    }

    /**
     * Forgets the least recently used statements beyond {@code limit} — never one the current
     * request uses — and owes the server a Close for each.
     */
    public void evictBeyond(int limit) {
        if (byContent.size() <= limit) {
            return; // the usual case, without an iterator
        }
        Iterator<Held> eldest = byContent.values().iterator();
        while (byContent.size() > limit && eldest.hasNext()) {
            Held held = eldest.next();
            if (held.dispatch == dispatch) {
                return; // access order: everything after it was used by this request too
            }
            eldest.remove();
            closesOwed.add(held.name);
        }
    }

    /**
     * A Parse the server never answered with ParseComplete (an error came first): the statement may
     * not exist, so it is forgotten and closed (closing a missing statement is no error).
     */
    public void unconfirmed(String contentKey, Held held) {
        if (byContent.get(contentKey) == held) {
            byContent.remove(contentKey);
            closesOwed.add(held.name);
        }
    }

    /** Whether Close messages are owed to the server ({@link #takeClosesOwed}). */
    public boolean hasClosesOwed() {
        return !closesOwed.isEmpty();
    }

    /** The Close messages owed to the server, to be sent ahead of the next request; cleared. */
    public List<String> takeClosesOwed() {
        if (closesOwed.isEmpty()) {
            return List.of();
        }
        List<String> owed = new ArrayList<>(closesOwed);
        closesOwed.clear();
        return owed;
    }

    public int size() {
        return byContent.size();
    }

    /** The server names held, eldest first (for tests and diagnostics). */
    public List<String> names() {
        List<String> names = new ArrayList<>(byContent.size());
        for (Map.Entry<String, Held> entry : byContent.entrySet()) {
            names.add(entry.getValue().name);
        }
        return names;
    }

    /** Whether the server's unnamed statement is one of {@code def}'s content. */
    public boolean holdsUnnamed(PreparedStatementDef def) {
        return unnamed == def || unnamed != null && unnamed.contentKey().equals(def.contentKey());
    }

    /** A Parse of the unnamed statement was sent here; null: a simple Query replaced it. */
    public void unnamed(PreparedStatementDef def) {
        unnamed = def;
    }

    /** DISCARD ALL or DEALLOCATE ALL ran here: nothing is held, nothing needs closing. */
    public void clear() {
        unnamed = null;
        byContent.clear();
        closesOwed.clear();
    }
}
