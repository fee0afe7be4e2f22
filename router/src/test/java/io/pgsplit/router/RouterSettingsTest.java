package io.pgsplit.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterSettingsTest {

    @Test
    void defaultsCoverSequencesLocksAndAdministration() {
        RouterSettings defaults = RouterSettings.defaults();

        assertThat(defaults.writeFunctions()).contains("nextval", "setval", "currval", "lastval", "pg_advisory*",
                "pg_try_advisory*", "set_config", "pg_notify", "txid_current", "lo_*", "loread", "lowrite",
                "pg_terminate_backend", "pg_stat_reset*", "pg_replication_origin_*", "dblink_exec");
        assertThat(defaults.writeFunctions()).doesNotContain("pg_sleep");
        assertThat(defaults.cacheMaxEntries()).isEqualTo(10_000);
        assertThat(defaults.parseTimeout()).isPositive();
    }

    @Test
    void normalisesFunctionNamesToLowerCase() {
        RouterSettings settings = new RouterSettings(Set.of(" My_Func ", "APP_*"), 1, Duration.ofMillis(1));

        assertThat(settings.writeFunctions()).containsExactlyInAnyOrder("my_func", "app_*");
    }

    @Test
    void rejectsInvalidValues() {
        assertThatThrownBy(() -> new RouterSettings(Set.of(), -1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RouterSettings(Set.of(), 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RouterSettings(Set.of("*"), 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
