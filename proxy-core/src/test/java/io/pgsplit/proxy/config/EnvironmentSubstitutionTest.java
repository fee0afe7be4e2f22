package io.pgsplit.proxy.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EnvironmentSubstitutionTest {
    private final EnvironmentSubstitution substitution =
            new EnvironmentSubstitution(Map.of("USER", "app", "HOST", "db", "EMPTY", ""));

    @Test
    void expandsEveryReference() {
        assertThat(substitution.substitute("${USER}@${HOST}:5432")).isEqualTo("app@db:5432");
    }

    @Test
    void usesTheDefaultWhenTheVariableIsUnsetOrEmpty() {
        assertThat(substitution.substitute("${MISSING:-fallback}")).isEqualTo("fallback");
        assertThat(substitution.substitute("${EMPTY:-fallback}")).isEqualTo("fallback");
        assertThat(substitution.substitute("${USER:-fallback}")).isEqualTo("app");
        assertThat(substitution.substitute("${MISSING:-}")).isEmpty();
    }

    @Test
    void keepsASetButEmptyVariableWithoutDefault() {
        assertThat(substitution.substitute("[${EMPTY}]")).isEqualTo("[]");
    }

    @Test
    void leavesTextWithoutReferencesAlone() {
        assertThat(substitution.substitute("SCRAM-SHA-256$4096:salt$stored:server"))
                .isEqualTo("SCRAM-SHA-256$4096:salt$stored:server");
    }

    @Test
    void turnsADoubledDollarIntoALiteralReference() {
        assertThat(substitution.substitute("pa$${USER}ss")).isEqualTo("pa${USER}ss");
    }

    @Test
    void rejectsAnUnsetVariableWithoutDefault() {
        assertThatIllegalArgumentException().isThrownBy(() -> substitution.substitute("x${MISSING}"))
                .withMessage("environment variable MISSING is not set");
    }

    @Test
    void rejectsMalformedReferencesWithoutEchoingTheValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> substitution.substitute("s3cret${USER"))
                .withMessage("unterminated ${...} reference");
        assertThatIllegalArgumentException().isThrownBy(() -> substitution.substitute("${1ABC}"))
                .withMessage("invalid environment variable name '1ABC' in ${...}");
    }
}
