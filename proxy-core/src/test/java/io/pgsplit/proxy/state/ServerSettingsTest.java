package io.pgsplit.proxy.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerSettingsTest {
    private static final String APP = "SET application_name = 'app'";
    private static final String PATH = "SET search_path = 'a'";

    private final ServerSettings pooled = new ServerSettings(Map.of());

    @Test
    void clientsWithEqualSettingsShareOneContentInstance() {
        SessionSettings first = new SessionSettings(Map.of("application_name", APP));
        SessionSettings second = new SessionSettings(Map.of("application_name", APP));

        assertThat(second.current()).isSameAs(first.current()).isEqualTo(Map.of("application_name", APP));

        second.set("search_path", PATH);
        assertThat(second.current()).isNotSameAs(first.current())
                .isEqualTo(Map.of("application_name", APP, "search_path", PATH));
    }

    @Test
    void aConnectionChangesHandsAsItIsBetweenClientsWithEqualSettings() {
        SessionSettings first = new SessionSettings(Map.of("application_name", APP));
        SessionSettings second = new SessionSettings(Map.of("application_name", APP));

        assertThat(pooled.alignWith(first)).isEqualTo(APP);
        assertThat(pooled.alignWith(second)).isNull();
        assertThat(pooled.changesHandsTo(first)).isTrue();
        assertThat(pooled.alignWith(first)).isNull();
    }

    @Test
    void aClientWhoseSettingsDifferIsAlignedAfterOneWithEqualOnes() {
        SessionSettings first = new SessionSettings(Map.of("application_name", APP));
        SessionSettings second = new SessionSettings(Map.of("application_name", APP));
        pooled.alignWith(first);
        pooled.alignWith(second);

        second.set("search_path", PATH);
        assertThat(pooled.alignWith(second)).isEqualTo(PATH);
        assertThat(pooled.alignWith(first)).isEqualTo("RESET search_path");
    }

    @Test
    void aStatementThatRanOnTheConnectionAndADiscardAreFollowed() {
        SessionSettings first = new SessionSettings(Map.of("application_name", APP));
        SessionSettings second = new SessionSettings(Map.of("application_name", APP));
        pooled.alignWith(first);
        first.set("search_path", PATH);
        pooled.ranHere(first);

        assertThat(pooled.alignWith(second)).isEqualTo("RESET search_path");

        pooled.discarded();
        assertThat(pooled.alignWith(second)).as("DISCARD ALL reset what the connection carried").isEqualTo(APP);
    }

    @Test
    void contentsPastTheTableLimitAreCopiesThatStillCompareEqual() {
        SettingsContents contents = new SettingsContents(1);
        Map<String, String> kept = contents.of(Map.of("application_name", APP));
        Map<String, String> late = Map.of("search_path", PATH);

        assertThat(contents.of(Map.of("application_name", APP))).isSameAs(kept);
        assertThat(contents.of(late)).isNotSameAs(contents.of(late)).isEqualTo(late);
    }
}
