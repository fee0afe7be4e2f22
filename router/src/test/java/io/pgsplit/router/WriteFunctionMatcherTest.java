package io.pgsplit.router;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WriteFunctionMatcherTest {

    private final WriteFunctionMatcher matcher = new WriteFunctionMatcher(RouterSettings.DEFAULT_WRITE_FUNCTIONS);

    @Test
    void matchesExactNamesIgnoringCase() {
        assertThat(matcher.matches("nextval")).isTrue();
        assertThat(matcher.matches("NextVal")).isTrue();
        assertThat(matcher.matches("nextvalue")).isFalse();
    }

    @Test
    void matchesEveryAdvisoryLockVariantByPrefix() {
        assertThat(matcher.matches("pg_advisory_lock")).isTrue();
        assertThat(matcher.matches("pg_advisory_xact_lock_shared")).isTrue();
        assertThat(matcher.matches("pg_advisory_unlock_all")).isTrue();
        assertThat(matcher.matches("pg_try_advisory_lock")).isTrue();
    }

    @Test
    void largeObjectPrefixDoesNotCatchOrdinaryFunctions() {
        assertThat(matcher.matches("lo_import")).isTrue();
        assertThat(matcher.matches("lower")).isFalse();
        assertThat(matcher.matches("log")).isFalse();
    }

    @Test
    void leavesHarmlessBuiltinsAlone() {
        assertThat(matcher.matches("pg_sleep")).isFalse();
        assertThat(matcher.matches("now")).isFalse();
        assertThat(matcher.matches("current_setting")).isFalse();
    }
}
