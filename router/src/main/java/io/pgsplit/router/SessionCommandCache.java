package io.pgsplit.router;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;

/**
 * {@link SessionCommands#of} per SQL text, so that a text sent again is not lexed again. Writes repeat as much
 * as reads, and every unique write text would otherwise be a key: the cache is bounded by the characters it
 * holds, not by its entry count, and texts longer than {@link ClassificationCache#MAX_CACHED_SQL_LENGTH} are
 * lexed every time (they are rarely repeated verbatim, and lexing is linear in their length anyway).
 */
public final class SessionCommandCache {
    /** Roughly what a Caffeine entry, its key's String header and the command list cost besides the text. */
    static final int ENTRY_OVERHEAD_CHARS = 64;

    private final Cache<String, List<SessionCommand>> entries;

    /** @param maxChars how many characters of SQL text (plus a fixed overhead per entry) the cache may hold */
    public SessionCommandCache(long maxChars) {
        // Maintenance inline on the caller, as in ClassificationCache: never on the common fork-join pool.
        this.entries = Caffeine.newBuilder()
                .maximumWeight(maxChars)
                .weigher((String sql, List<SessionCommand> commands) -> sql.length() + ENTRY_OVERHEAD_CHARS)
                .executor(Runnable::run)
                .build();
    }

    public List<SessionCommand> commandsIn(String sql) {
        if (sql.length() > ClassificationCache.MAX_CACHED_SQL_LENGTH) {
            return SessionCommands.of(sql);
        }
        return entries.get(sql, SessionCommands::of);
    }

    /** The weight held now: characters of text plus the per-entry overhead. */
    long weightedSize() {
        entries.cleanUp();
        return entries.policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }
}
