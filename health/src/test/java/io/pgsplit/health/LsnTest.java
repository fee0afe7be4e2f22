package io.pgsplit.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LsnTest {

    @Test
    void parsesHighAndLowHalvesAsHex() {
        assertThat(Lsn.parse("16/B374D848")).isEqualTo(0x16_B374_D848L);
        assertThat(Lsn.parse("0/0")).isZero();
        assertThat(Lsn.parse("0/15012F0")).isEqualTo(0x1_5012F0L);
        assertThat(Lsn.parse("7FFFFFFF/FFFFFFFF")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void acceptsLowerCaseDigits() {
        assertThat(Lsn.parse("a/ff")).isEqualTo(0xA_0000_00FFL);
    }

    @Test
    void treatsSqlNullAsUnknown() {
        assertThat(Lsn.parse(null)).isEqualTo(Lsn.UNKNOWN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "16", "/1", "1/", "G/0", "-1/0", "+1/0", "1/2/3", "123456789/0", "0/123456789",
            "80000000/0"})
    void rejectsMalformedPositions(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Lsn.parse(text)).withMessageContaining(text);
    }
}
