package io.pgsplit.proxy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pgsplit.proxy.config.ConfigLoader;
import io.pgsplit.proxy.config.PgSplitConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes/ parses, its configuration passes pgsplit's validation, and the Deployment, Service and probes
 * agree with that configuration. No Kubernetes cluster is reachable where this is built: this is what is checked.
 */
class KubernetesManifestsTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static Map<String, JsonNode> byKind;

    @BeforeAll
    static void parseManifests() throws IOException {
        byKind = new HashMap<>();
        try (Stream<Path> files = Files.list(DeployFiles.KUBERNETES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode document : YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class).readAll()) {
                    assertThat(document.path("apiVersion").asText()).as("apiVersion in %s", file).isNotEmpty();
                    assertThat(byKind.put(document.path("kind").asText(), document)).as("one %s", file).isNull();
                }
            }
        }
        assertThat(byKind).containsOnlyKeys("ConfigMap", "Deployment", "Service");
    }

    @Test
    void configMapHoldsAConfigurationThatPassesValidation() throws Exception {
        PgSplitConfig config = config();

        assertThat(config.servers()).hasSize(3);
        assertThat(config.users().get(0).password()).isEqualTo("from-the-secret");
    }

    @Test
    void probesAskReadyAndHealthOnTheAdminPortTheConfigurationOpens() throws Exception {
        JsonNode container = container();
        int adminPort = config().admin().orElseThrow().port();

        assertThat(containerPort(container, "admin")).isEqualTo(adminPort);
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/ready");
        assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("admin");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health");
        assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("admin");
    }

    @Test
    void serviceSendsClientsToTheListenPortOfPodsItSelects() throws Exception {
        JsonNode service = byKind.get("Service");
        JsonNode deployment = byKind.get("Deployment");
        JsonNode port = service.at("/spec/ports/0");

        assertThat(service.at("/spec/selector")).isEqualTo(deployment.at("/spec/selector/matchLabels"));
        assertThat(deployment.at("/spec/template/metadata/labels")).isEqualTo(deployment.at("/spec/selector/matchLabels"));
        assertThat(port.path("targetPort").asText()).isEqualTo("postgres");
        assertThat(containerPort(container(), "postgres")).isEqualTo(config().listen().port());
        assertThat(service.at("/spec/ports").size()).as("the admin port stays out of the Service").isEqualTo(1);
    }

    @Test
    void deploymentMountsTheConfigMapWhereTheImageReadsItAndDrainsBeforeBeingKilled() throws Exception {
        JsonNode pod = byKind.get("Deployment").at("/spec/template/spec");
        JsonNode container = container();

        assertThat(container.path("args").toString()).isEqualTo("[\"--config\",\"/etc/pgsplit/pgsplit.yaml\"]");
        assertThat(container.at("/volumeMounts/0/mountPath").asText()).isEqualTo("/etc/pgsplit");
        assertThat(pod.at("/volumes/0/configMap/name").asText()).isEqualTo(byKind.get("ConfigMap").at("/metadata/name").asText());
        assertThat(Duration.ofSeconds(pod.path("terminationGracePeriodSeconds").asLong()))
                .isGreaterThan(config().shutdownTimeout().plusSeconds(5));
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.at("/env/0/valueFrom/secretKeyRef/name").asText()).isEqualTo("pgsplit");
    }

    private static PgSplitConfig config() throws Exception {
        String yaml = byKind.get("ConfigMap").at("/data/pgsplit.yaml").asText();
        return ConfigLoader.parse(yaml, "pgsplit.yaml", Map.of("PGSPLIT_APP_PASSWORD", "from-the-secret"));
    }

    private static JsonNode container() {
        JsonNode containers = byKind.get("Deployment").at("/spec/template/spec/containers");
        assertThat(containers.size()).isEqualTo(1);
        return containers.get(0);
    }

    private static int containerPort(JsonNode container, String name) {
        List<JsonNode> ports = Stream.of(container.path("ports")).flatMap(p -> Stream.iterate(0, i -> i < p.size(), i -> i + 1)
                .map(p::get)).filter(p -> name.equals(p.path("name").asText())).toList();
        assertThat(ports).as("container port %s", name).hasSize(1);
        return ports.get(0).path("containerPort").asInt();
    }
}
