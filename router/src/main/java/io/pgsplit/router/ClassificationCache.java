package io.pgsplit.router;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.CompletableFuture;

/**
 * Classifications keyed by SQL text, held as futures so that concurrent first sightings of one text share a
 * single parse. A lookup is one hash probe: no lexing and no allocation.
 */
final class ClassificationCache {

    /**
     * Longer texts (bulk INSERTs with inline values, huge IN lists) are rarely repeated verbatim, and caching
     * them would pin megabytes per entry.
     */
    static final int MAX_CACHED_SQL_LENGTH = 16 * 1024;

    private final Cache<String, CompletableFuture<Classification>> entries;

    ClassificationCache(long maxEntries) {
        // Maintenance inline on the caller: a read that inserts (unique literals) must not hand eviction
        // work to the common fork-join pool, which competes with the event loops for the same cores.
        this.entries = Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build();
    }

    /**
     * The finished classification of {@code sql}, or null; counts nothing (the classifier counts its hits, which
     * the shape memo serves too).
     */
    Classification completed(String sql) {
        CompletableFuture<Classification> entry = entries.getIfPresent(sql);
        return entry == null ? null : entry.getNow(null);
    }

    /** The finished or in-flight classification of {@code sql}, or null; counts nothing. */
    CompletableFuture<Classification> peek(String sql) {
        return entries.getIfPresent(sql);
    }

    void putCompleted(String sql, Classification classification) {
        if (sql.length() <= MAX_CACHED_SQL_LENGTH) {
            entries.put(sql, CompletableFuture.completedFuture(classification));
        }
    }

    /**
     * Registers {@code pending} as the classification of {@code sql} unless another caller got there first;
     * returns that earlier future, or null when {@code pending} is now the one to complete.
     */
    CompletableFuture<Classification> claim(String sql, CompletableFuture<Classification> pending) {
        return sql.length() <= MAX_CACHED_SQL_LENGTH ? entries.asMap().putIfAbsent(sql, pending) : null;
    }

    /** Drops {@code pending} (and only it) so that the next sighting of {@code sql} tries again. */
    void forget(String sql, CompletableFuture<Classification> pending) {
        entries.asMap().remove(sql, pending);
    }
}
