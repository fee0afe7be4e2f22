package io.pgsplit.cluster.containers;

import com.github.dockerjava.api.DockerClient;
import io.pgsplit.cluster.AppDatabase;
import io.pgsplit.cluster.ClusterStartException;
import io.pgsplit.cluster.FreePorts;
import io.pgsplit.cluster.ReplicationWatch;
import io.pgsplit.cluster.ServerSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/** Configures and starts a {@link ContainerPgCluster}; the same choices as {@code LocalPgCluster.Builder}. */
public final class ContainerClusterBuilder {
  /** The image deploy/docker/build-images.sh builds. */
  public static final String DEFAULT_IMAGE = "pgsplit-postgres:15";
  static final String CLUSTER_LABEL = "io.pgsplit.cluster";
  private static final Logger log = LoggerFactory.getLogger(ContainerClusterBuilder.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STREAMING_TIMEOUT = Duration.ofSeconds(60);
  private static final String SETTINGS_FILE = "/etc/pgsplit-pg/conf.d/harness.conf";
  private static final long SHARED_MEMORY_BYTES = 256L * 1024 * 1024;

  private int replicas = 2;
  private String image = DEFAULT_IMAGE;
  private String superuserPassword = "postgres";
  private String appUser = "app";
  private String appPassword = "app";
  private final Map<String, String> settings = new LinkedHashMap<>();
  private Path logDirectory;

  ContainerClusterBuilder() {}

  /** Number of streaming replicas; default 2. */
  public ContainerClusterBuilder replicas(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("replicas must not be negative: " + count);
    }
    this.replicas = count;
    return this;
  }

  /** A local image with the pg-node entry point; default {@value #DEFAULT_IMAGE}. */
  public ContainerClusterBuilder image(String name) {
    this.image = Objects.requireNonNull(name);
    return this;
  }

  public ContainerClusterBuilder superuserPassword(String password) {
    this.superuserPassword = Objects.requireNonNull(password);
    return this;
  }

  public ContainerClusterBuilder appUser(String name, String password) {
    this.appUser = Objects.requireNonNull(name);
    this.appPassword = Objects.requireNonNull(password);
    return this;
  }

  /** An extra postgresql.conf setting for every node; it overrides the harness's own. */
  public ContainerClusterBuilder setting(String name, String value) {
    settings.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
    return this;
  }

  /** Where each server's output goes, as {@code <node>.log}; default a temporary directory. */
  public ContainerClusterBuilder logTo(Path directory) {
    this.logDirectory = Objects.requireNonNull(directory);
    return this;
  }

  /**
   * Starts the primary and the replicas and returns once every replica is streaming.
   *
   * @throws ClusterStartException with the relevant container output; every container started is removed again
   */
  public ContainerPgCluster start() {
    long startedAt = System.nanoTime();
    DockerEngine.Probe engine = DockerEngine.probe();
    if (!engine.answers()) {
      throw new ClusterStartException("Cannot start a container cluster: " + engine.describe(), null);
    }
    DockerEngine.configureTestcontainers(engine);
    DockerClient client = DockerClientFactory.instance().client();
    DockerImageName imageName = LocalImages.require(client, image);
    StaleContainers.removeThoseOfDeadProcesses(client);
    String id = UUID.randomUUID().toString().substring(0, 8);
    ContainerPgCluster cluster = new ContainerPgCluster(id, superuserPassword, appUser, appPassword,
        nodes(id, imageName, logDirectory()));
    try {
      cluster.watchForDeaths(DeathWatch.start(CLUSTER_LABEL, id, cluster.containerNodes()));
      bringUp(cluster);
    } catch (RuntimeException | SQLException e) {
      try {
        cluster.close();
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw new ClusterStartException("Could not start " + cluster + " from " + image + ": " + e.getMessage(), e);
    }
    log.info("Started {} ({}) in {} ms", cluster, engine.describe(),
        Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
    return cluster;
  }

  private void bringUp(ContainerPgCluster cluster) throws SQLException {
    List<ContainerPgNode> nodes = cluster.containerNodes();
    nodes.get(0).launch();
    // Before the replicas are seeded, as on local clusters (the base backup copies it either way).
    AppDatabase.create(nodes.get(0), appUser, appPassword);
    for (ContainerPgNode replica : nodes.subList(1, nodes.size())) {
      replica.launch();
    }
    ReplicationWatch.awaitStreaming(nodes.get(0), nodes.subList(1, nodes.size()), STREAMING_TIMEOUT);
  }

  private List<ContainerPgNode> nodes(String id, DockerImageName imageName, Path logs) {
    String settingsFile = ServerSettings.render("Written by pgsplit's container harness for every node.",
        ServerSettings.forEveryNode(settings));
    List<ContainerPgNode> nodes = new ArrayList<>();
    int primaryPort = 0;
    for (int i = 1; i <= 1 + replicas; i++) {
      String name = "pg" + i;
      int port = FreePorts.pick();
      GenericContainer<?> container = new GenericContainer<>(imageName)
          .withImagePullPolicy(LocalImages.NEVER_PULL)
          .withNetworkMode("host")
          .withEnv("PG_NODE_NAME", name)
          .withEnv("PG_NODE_PORT", Integer.toString(port))
          // The primary sets it; a standby's base backup and streaming log in with it (replication needs SCRAM too).
          .withEnv("POSTGRES_PASSWORD", superuserPassword)
          .withCopyToContainer(Transferable.of(settingsFile), SETTINGS_FILE)
          .withLabel(CLUSTER_LABEL, id)
          .withLabels(StaleContainers.ownerLabel())
          .withSharedMemorySize(SHARED_MEMORY_BYTES)
          .withCreateContainerCmdModifier(command -> command.withName("pgsplit-" + id + "-" + name))
          .withStartupAttempts(1)
          .waitingFor(Wait.forLogMessage(".*database system is ready to accept (read-only )?connections.*\\s", 1)
              .withStartupTimeout(START_TIMEOUT));
      if (i == 1) {
        primaryPort = port;
        container.withCommand("primary");
      } else {
        container.withEnv("PG_PRIMARY_PORT", Integer.toString(primaryPort)).withCommand("standby");
      }
      nodes.add(new ContainerPgNode(name, port, superuserPassword, container, logs.resolve(name + ".log")));
    }
    return nodes;
  }

  private Path logDirectory() {
    try {
      return logDirectory != null ? Files.createDirectories(logDirectory)
          : Files.createTempDirectory("pgsplit-container-logs");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create a directory for the server logs", e);
    }
  }
}
