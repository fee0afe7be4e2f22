package io.pgsplit.cluster.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.pgsplit.cluster.PgClusterException;
import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.utility.DockerImageName;

/** Images come from the engine's own store, never from a registry: none is reachable where pgsplit is built. */
public final class LocalImages {
  /** The pull policy of every container the harness starts. */
  public static final ImagePullPolicy NEVER_PULL = image -> false;

  private LocalImages() {}

  /** Fails, naming the script that builds it, unless the engine holds {@code image}. */
  public static DockerImageName require(DockerClient client, String image) {
    try {
      client.inspectImageCmd(image).exec();
      return DockerImageName.parse(image);
    } catch (NotFoundException e) {
      throw new PgClusterException("Image " + image + " is not in the Docker engine, and nothing is pulled: build it"
          + " with deploy/docker/build-images.sh", e);
    }
  }
}
