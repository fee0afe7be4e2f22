package io.pgsplit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ClusterStartFailureTest {

  @Test
  void serverThatRefusesToStartIsReportedWithItsLogTailAndTheDirectoryIsRemoved() {
    Path base = Path.of(System.getProperty("java.io.tmpdir"), "pgsplit-failing-" + UUID.randomUUID());

    ClusterStartException failure = catchThrowableOfType(ClusterStartException.class,
        () -> LocalPgCluster.builder().baseDirectory(base).replicas(0).setting("shared_buffers", "lots").start());

    assertThat(failure).hasMessageContaining("pg1 start failed")
        .hasMessageContaining("last ")
        .hasMessageContaining("shared_buffers");
    assertThat(Files.exists(base)).isFalse();
  }
}
