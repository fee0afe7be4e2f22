package io.pgsplit.cluster.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With Ryuk off, a JVM killed before its clean-up leaves its containers behind. Each container carries the pid of
 * the JVM that made it; containers whose JVM is no longer alive on this machine are removed before new ones start.
 */
public final class StaleContainers {
  static final String OWNER_LABEL = "io.pgsplit.harness.pid";
  private static final Logger log = LoggerFactory.getLogger(StaleContainers.class);

  private StaleContainers() {}

  /** The label naming this JVM as the container's owner. */
  public static Map<String, String> ownerLabel() {
    return Map.of(OWNER_LABEL, Long.toString(ProcessHandle.current().pid()));
  }

  public static void removeThoseOfDeadProcesses(DockerClient client) {
    List<Container> owned = client.listContainersCmd().withShowAll(true).withLabelFilter(List.of(OWNER_LABEL)).exec();
    for (Container container : owned) {
      String owner = container.getLabels().get(OWNER_LABEL);
      if (!ownerIsAlive(owner)) {
        log.warn("Removing container {} left behind by process {}", String.join(",", container.getNames()), owner);
        client.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
      }
    }
  }

  private static boolean ownerIsAlive(String pid) {
    try {
      return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
