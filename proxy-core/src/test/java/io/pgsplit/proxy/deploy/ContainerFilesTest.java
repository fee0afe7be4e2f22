package io.pgsplit.proxy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pgsplit.proxy.config.ConfigLoader;
import io.pgsplit.proxy.config.PgSplitConfig;
import io.pgsplit.proxy.config.ServerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * deploy/docker: the compose demo stays on the host's network and on local images, its pgsplit configuration is
 * valid and names its servers' ports, its passwords come from the environment with no default; the image runs as
 * a non-root user, reads /etc/pgsplit/pgsplit.yaml and drains on SIGTERM. (The images themselves are exercised by
 * the container path of the integration tests.)
 */
class ContainerFilesTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void everyComposeServiceUsesTheHostNetworkAndALocalImage() throws Exception {
        JsonNode compose = YAML.readTree(DeployFiles.COMPOSE.toFile());

        assertThat(compose.has("networks")).as("top-level networks").isFalse();
        compose.path("services").fields().forEachRemaining(service -> {
            JsonNode definition = service.getValue();
            assertThat(definition.path("network_mode").asText()).as(service.getKey()).isEqualTo("host");
            assertThat(definition.path("pull_policy").asText()).as(service.getKey()).isEqualTo("never");
            assertThat(definition.has("ports") || definition.has("networks")).as(service.getKey()).isFalse();
        });
    }

    @Test
    void composePgsplitConfigurationIsValidAndPointsAtTheComposeServersOnLoopback() throws Exception {
        JsonNode services = YAML.readTree(DeployFiles.COMPOSE.toFile()).path("services");
        String mount = services.at("/pgsplit/volumes/0").asText();
        assertThat(mount).endsWith(":/etc/pgsplit/pgsplit.yaml:ro");
        Path file = DeployFiles.COMPOSE.resolveSibling(mount.substring(0, mount.indexOf(':')));

        PgSplitConfig config = ConfigLoader.parse(DeployFiles.read(file), "pgsplit.yaml",
                Map.of("APP_PASSWORD", "from-the-environment"));

        List<String> servers = config.servers().stream().map(s -> s.name() + "@" + s.host() + ":" + s.port()).toList();
        List<String> composeServers = List.of("pg1", "pg2", "pg3").stream()
                .map(name -> name + "@127.0.0.1:" + services.at("/" + name + "/environment/PG_NODE_PORT").asText())
                .toList();
        assertThat(servers).isEqualTo(composeServers);
        assertThat(config.servers()).extracting(ServerConfig::host).containsOnly("127.0.0.1");
        assertThat(services.at("/pgsplit/environment/PGSPLIT_ADMIN").asText())
                .isEqualTo(config.admin().orElseThrow().host() + ":" + config.admin().orElseThrow().port());
    }

    /** Every local process reaches the demo on 127.0.0.1: no password may be one anybody can read in this file. */
    @Test
    void everyComposePasswordComesFromTheEnvironmentWithNoDefault() throws Exception {
        JsonNode services = YAML.readTree(DeployFiles.COMPOSE.toFile()).path("services");
        List<String> passwords = new ArrayList<>();
        services.fields().forEachRemaining(service -> service.getValue().path("environment").fields()
                .forEachRemaining(variable -> {
                    if (variable.getKey().endsWith("PASSWORD")) {
                        passwords.add(service.getKey() + " " + variable.getKey() + "=" + variable.getValue().asText());
                    }
                }));

        assertThat(passwords).hasSize(6).allSatisfy(password -> assertThat(password)
                .matches("\\S+ \\w+=\\$\\{(POSTGRES|APP)_PASSWORD:\\?[^}]+}"));
        assertThat(passwords).filteredOn(password -> password.startsWith("pg2 ") || password.startsWith("pg3 "))
                .as("the standbys log in to their primary with the superuser's password")
                .hasSize(2).allMatch(password -> password.contains("POSTGRES_PASSWORD=${POSTGRES_PASSWORD:?"));
    }

    @Test
    void composePgsplitConfigurationHasNoDefaultPassword() throws Exception {
        String mount = YAML.readTree(DeployFiles.COMPOSE.toFile()).at("/services/pgsplit/volumes/0").asText();
        String text = DeployFiles.read(DeployFiles.COMPOSE.resolveSibling(mount.substring(0, mount.indexOf(':'))));

        assertThatThrownBy(() -> ConfigLoader.parse(text, "pgsplit.yaml", Map.of()))
                .hasMessageContaining("environment variable APP_PASSWORD is not set");
    }

    @Test
    void imageRunsAsItsOwnUserFromTheDefaultConfigPathAndDrainsOnSigterm() throws Exception {
        List<String> lines = DeployFiles.read(DeployFiles.DOCKERFILE).lines().toList();

        assertThat(lines).contains(
                "ARG BASE=eclipse-temurin:17-jre",
                "FROM ${BASE}",
                "USER pgsplit",
                "STOPSIGNAL SIGTERM",
                "CMD [\"--config\", \"/etc/pgsplit/pgsplit.yaml\"]");
        assertThat(lines).anyMatch(line -> line.startsWith("HEALTHCHECK ") && line.endsWith("[\"/opt/pgsplit/healthcheck\"]"));
        assertThat(DeployFiles.read(DeployFiles.DOCKERFILE.resolveSibling("pgsplit-healthcheck"))).contains("GET /health");
    }
}
