package io.pgsplit.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StartupParametersTest {

    private static Map<String, String> parameters(String... namesAndValues) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            parameters.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return parameters;
    }

    @Test
    void protocolExtensionsAreCollectedInTheClientsOrder() {
        StartupParameters startup = StartupParameters.of(
                parameters("user", "app", "_pq_.b", "1", "database", "shop", "_pq_.a", "2"));

        assertThat(startup.protocolExtensions()).containsExactly("_pq_.b", "_pq_.a");
    }

    @Test
    void serversGetEverythingButProtocolExtensionsAndReplicationInTheClientsOrder() {
        StartupParameters startup = StartupParameters.of(parameters(
                "user", "app", "_pq_.x", "1", "application_name", "psql", "replication", "false",
                "database", "shop", "DateStyle", "ISO"));

        assertThat(startup.forServers("app")).containsExactly(
                Map.entry("user", "app"), Map.entry("application_name", "psql"),
                Map.entry("database", "shop"), Map.entry("DateStyle", "ISO"));
    }

    @Test
    void databaseDefaultsToTheUserName() {
        StartupParameters startup = StartupParameters.of(parameters("user", "app"));

        assertThat(startup.forServers("app")).containsEntry("database", "app");
    }

    @Test
    void noExtensionsWhenTheClientSentNone() {
        assertThat(StartupParameters.of(parameters("user", "app")).protocolExtensions()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "on", "yes", "1", "database", "TRUE"})
    void detectsReplicationConnections(String value) {
        assertThat(StartupParameters.of(parameters("user", "app", "replication", value)).isReplication()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "off", "no", "0", "OFF", "False"})
    void replicationSwitchedOffIsAnOrdinaryConnection(String value) {
        assertThat(StartupParameters.of(parameters("user", "app", "replication", value)).isReplication()).isFalse();
    }

    @Test
    void noReplicationParameterIsAnOrdinaryConnection() {
        assertThat(StartupParameters.of(parameters("user", "app")).isReplication()).isFalse();
    }
}
