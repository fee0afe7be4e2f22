package io.pgsplit.cluster.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerEngineTest {
  private static final String HOST = "unix:///run/docker.sock";

  @Test
  void readsTheApiVersionOfAnEngineThatAnswers() {
    DockerEngine.Probe probe = DockerEngine.parseVersionResponse(HOST, "HTTP/1.0 200 OK\r\nApi-Version: 1.41\r\n\r\n"
        + "{\"Version\":\"20.10.24+dfsg1\",\"ApiVersion\":\"1.41\",\"MinAPIVersion\":\"1.12\"}");

    assertThat(probe.answers()).isTrue();
    assertThat(probe.apiVersion()).isEqualTo("1.41");
    assertThat(probe.describe()).isEqualTo("Docker engine at " + HOST + " (API 1.41)");
  }

  @Test
  void anEngineThatRefusesIsNamedWithItsAnswer() {
    DockerEngine.Probe probe = DockerEngine.parseVersionResponse(HOST, "HTTP/1.1 403 Forbidden\r\n\r\n");

    assertThat(probe.answers()).isFalse();
    assertThat(probe.describe()).isEqualTo("no usable Docker engine at " + HOST
        + ": GET /version answered HTTP/1.1 403 Forbidden");
  }

  @Test
  void anAbsentSocketIsOneLineAndNoException(@TempDir Path directory) {
    String host = "unix://" + directory.resolve("docker.sock");

    DockerEngine.Probe probe = DockerEngine.probe(Map.of("DOCKER_HOST", host, DockerEngine.RYUK_DISABLED, "true"));

    assertThat(probe.answers()).isFalse();
    assertThat(probe.describe()).startsWith("no usable Docker engine at " + host + ": ").doesNotContain("\n");
  }

  @Test
  void withoutRyukDisabledNothingIsTriedBecauseRyukWouldBePulled() {
    DockerEngine.Probe probe = DockerEngine.probe(Map.of("DOCKER_HOST", HOST));

    assertThat(probe.answers()).isFalse();
    assertThat(probe.problem()).contains("TESTCONTAINERS_RYUK_DISABLED");
  }

  @Test
  void onlyUnixSocketsAreProbed() {
    DockerEngine.Probe probe = DockerEngine.probe(Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375",
        DockerEngine.RYUK_DISABLED, "true"));

    assertThat(probe.problem()).isEqualTo("only unix:// sockets are supported");
  }

  @Test
  void asksForTheEngineVersionButNeverMoreThanTestcontainersKnows() {
    assertThat(DockerEngine.olderOf("1.41", "1.44")).isEqualTo("1.41");
    assertThat(DockerEngine.olderOf("1.52", "1.44")).isEqualTo("1.44");
    assertThat(DockerEngine.olderOf("1.9", "1.44")).isEqualTo("1.9");
  }
}
