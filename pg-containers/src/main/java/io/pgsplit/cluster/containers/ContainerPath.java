package io.pgsplit.cluster.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;

/** Whether the container path can run here: an engine answers and holds the images, so nothing would be pulled. */
public final class ContainerPath {
  private ContainerPath() {}

  /** Why containers of {@code images} cannot be started here, in one line; empty when they can. */
  public static Optional<String> unavailableReason(String... images) {
    DockerEngine.Probe engine = DockerEngine.probe();
    if (!engine.answers()) {
      return Optional.of(engine.describe());
    }
    DockerEngine.configureTestcontainers(engine);
    try {
      DockerClient client = DockerClientFactory.instance().client();
      for (String image : images) {
        try {
          client.inspectImageCmd(image).exec();
        } catch (NotFoundException e) {
          return Optional.of("image " + image + " is not in the " + engine.describe()
              + "; build it with deploy/docker/build-images.sh");
        }
      }
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(engine.describe() + " but Testcontainers cannot use it: " + e.getMessage());
    }
  }
}
