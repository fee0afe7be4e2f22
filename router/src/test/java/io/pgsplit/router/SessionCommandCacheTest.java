package io.pgsplit.router;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionCommandCacheTest {

    @Test
    void uniqueWriteTextsNeverHoldMoreThanTheCharacterBound() {
        SessionCommandCache cache = new SessionCommandCache(1_000_000);
        String padding = "x".repeat(4_000);
        for (int i = 0; i < 10_000; i++) {
            cache.commandsIn("INSERT INTO t VALUES (" + i + ", '" + padding + "')");
        }
        // 10,000 texts of 4 KB are 40 million characters; an entry-count bound of 10,000 would keep them all.
        assertThat(cache.weightedSize()).isLessThanOrEqualTo(1_000_000);
    }

    @Test
    void textsOverTheClassifierCacheLimitAreLexedButNotKept() {
        SessionCommandCache cache = new SessionCommandCache(1_000_000);
        String longSet = "SET application_name = '" + "a".repeat(ClassificationCache.MAX_CACHED_SQL_LENGTH) + "'";

        assertThat(cache.commandsIn(longSet)).singleElement().isInstanceOf(SessionCommand.SetParameter.class);
        assertThat(cache.weightedSize()).isZero();
    }

    @Test
    void aRepeatedTextIsAnsweredFromTheCache() {
        SessionCommandCache cache = new SessionCommandCache(1_000_000);
        String sql = "SET search_path = app";

        assertThat(cache.commandsIn(sql)).isSameAs(cache.commandsIn(sql));
        assertThat(cache.weightedSize()).isEqualTo(sql.length() + SessionCommandCache.ENTRY_OVERHEAD_CHARS);
    }
}
