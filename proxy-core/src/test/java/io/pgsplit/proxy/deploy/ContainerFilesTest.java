package io.pgsplit.proxy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pgsplit.proxy.config.ConfigLoader;
import io.pgsplit.proxy.config.PgSplitConfig;
import io.pgsplit.proxy.config.ServerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * deploy/docker: the compose demo stays on the host's network and on local images, its pgsplit configuration is
 * valid and names its servers' ports; the image runs as a non-root user, reads /etc/pgsplit/pgsplit.yaml and drains
 * on SIGTERM. (The images themselves are exercised by the container path of the integration tests.)
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

        PgSplitConfig config = ConfigLoader.parse(DeployFiles.read(file), "pgsplit.yaml", Map.of());

        List<String> servers = config.servers().stream().map(s -> s.name() + "@" + s.host() + ":" + s.port()).toList();
        List<String> composeServers = List.of("pg1", "pg2", "pg3").stream()
                .map(name -> name + "@127.0.0.1:" + services.at("/" + name + "/environment/PG_NODE_PORT").asText())
                .toList();
        assertThat(servers).isEqualTo(composeServers);
        assertThat(config.servers()).extracting(ServerConfig::host).containsOnly("127.0.0.1");
        assertThat(services.at("/pgsplit/environment/PGSPLIT_ADMIN").asText())
                .isEqualTo(config.admin().orElseThrow().host() + ":" + config.admin().orElseThrow().port());
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
