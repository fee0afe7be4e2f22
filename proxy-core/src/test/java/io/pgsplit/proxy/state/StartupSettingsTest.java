package io.pgsplit.proxy.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupSettingsTest {

    @Test
    void startupValuesAreReplayedAsTheStartupPacketGaveThemSoListsStayLists() {
        Map<String, String> startup = new LinkedHashMap<>();
        startup.put("user", "app");
        startup.put("search_path", "tenant1,public");
        startup.put("options", "-c statement_timeout=5s");

        assertThat(StartupSettings.of(startup)).containsExactly(
                Map.entry("search_path", "SELECT pg_catalog.set_config('search_path', 'tenant1,public', false)"),
                Map.entry("statement_timeout", "SELECT pg_catalog.set_config('statement_timeout', '5s', false)"));
    }
}
