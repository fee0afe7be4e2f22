package io.pgsplit.it;

import io.pgsplit.cluster.LocalPgCluster;
import io.pgsplit.cluster.PgBinaries;
import io.pgsplit.cluster.PgCluster;
import io.pgsplit.cluster.containers.ContainerClusterBuilder;
import io.pgsplit.cluster.containers.ContainerPath;
import io.pgsplit.cluster.containers.ContainerPgCluster;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every integration test gets its PostgreSQL cluster (a primary and two streaming replicas) from. By default
 * from local binaries: the local installation, or — with {@code -Dpgsplit.test.postgres=zonky}, as the build's
 * second surefire run does for the routing tests — the PostgreSQL 17 binaries published on Maven Central. With
 * {@code -Dpgsplit.test.cluster=containers} (the Maven profile {@code containers}) each server is a container of the
 * pgsplit-postgres image instead. Where no Docker engine answers, that is one warning and the local path runs,
 * unless {@code -Dpgsplit.test.containers.required=true} (CI) makes it a failure. Tests see a {@link PgCluster}
 * either way and never know which they got.
 */
public final class TestClusters {
  static final String POSTGRES_PROPERTY = "pgsplit.test.postgres";
  static final String CLUSTER_PROPERTY = "pgsplit.test.cluster";
  static final String REQUIRED_PROPERTY = "pgsplit.test.containers.required";
  private static final Logger log = LoggerFactory.getLogger(TestClusters.class);
  private static Boolean onContainers;

  private TestClusters() {}

  /** A primary and two streaming replicas; each server's log is kept in {@code logs} after the cluster closes. */
  public static PgCluster start(Path logs) {
    if (onContainers()) {
      return ContainerPgCluster.builder().replicas(2).logTo(logs).start();
    }
    return LocalPgCluster.builder().replicas(2).binaries(localBinaries()).logTo(logs).start();
  }

  /** Whether this run's servers are containers: asked for, and an engine with the images answers. */
  public static synchronized boolean onContainers() {
    if (onContainers == null) {
      onContainers = "containers".equals(System.getProperty(CLUSTER_PROPERTY))
          && containersAvailable(ContainerClusterBuilder.DEFAULT_IMAGE);
    }
    return onContainers;
  }

  /**
   * Whether containers of {@code images} can run here; if not, logs why in one line, or fails when the run requires
   * containers.
   */
  public static boolean containersAvailable(String... images) {
    Optional<String> unavailable = ContainerPath.unavailableReason(images);
    if (unavailable.isEmpty()) {
      return true;
    }
    if (Boolean.getBoolean(REQUIRED_PROPERTY)) {
      throw new IllegalStateException("Containers are required (-D" + REQUIRED_PROPERTY + "=true), but "
          + unavailable.get());
    }
    log.warn("Container path skipped, {}; the tests run on local PostgreSQL binaries", unavailable.get());
    return false;
  }

  private static PgBinaries localBinaries() {
    return "zonky".equals(System.getProperty(POSTGRES_PROPERTY)) ? PgBinaries.fromZonky() : PgBinaries.locate();
  }
}
