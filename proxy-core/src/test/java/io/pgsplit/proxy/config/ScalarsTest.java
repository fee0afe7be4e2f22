package io.pgsplit.proxy.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ScalarsTest {

    @ParameterizedTest
    @CsvSource({"500ms, 500", "1s, 1000", "2m, 120000", "1h, 3600000", "750, 750", "10 s, 10000"})
    void parsesDurationsWithBareNumbersAsMilliseconds(String text, long millis) {
        assertThat(Scalars.duration(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.5s", "-1s", "1d", "s", "1sec", "99999999999999999999ms", "9223372036854775807h"})
    void rejectsMalformedDurations(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Scalars.duration(text));
    }

    @ParameterizedTest
    @CsvSource({"1048576, 1048576", "10B, 10", "512kB, 524288", "512KB, 524288", "64MB, 67108864",
            "64mb, 67108864", "1GB, 1073741824", "2TB, 2199023255552"})
    void parsesSizesAs1024BasedUnitsWithBareNumbersAsBytes(String text, long bytes) {
        assertThat(Scalars.size(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "64M", "64MiB", "1.5GB", "-1MB", "99999999TB"})
    void rejectsMalformedSizes(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Scalars.size(text));
    }

    @Test
    void tellsSizesFromDurationsByTheirUnit() {
        assertThat(Scalars.isSize("16MB")).isTrue();
        assertThat(Scalars.isSize("16m")).isFalse();
        assertThat(Scalars.isDuration("16m")).isTrue();
    }

    @Test
    void checksIntegerRanges() {
        assertThat(Scalars.integerBetween(1, 10).apply("10")).isEqualTo(10);
        assertThatIllegalArgumentException().isThrownBy(() -> Scalars.integerBetween(1, 10).apply("11"))
                .withMessage("must be between 1 and 10");
        assertThatIllegalArgumentException().isThrownBy(() -> Scalars.integerBetween(1, Integer.MAX_VALUE).apply("0"))
                .withMessage("must be at least 1");
        assertThatIllegalArgumentException().isThrownBy(() -> Scalars.integer("3000000000"))
                .withMessage("is too large (got '3000000000')");
    }
}
