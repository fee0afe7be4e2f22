package io.pgsplit.cluster.containers;

import io.pgsplit.cluster.PgClusterException;
import io.pgsplit.cluster.PgCluster;
import io.pgsplit.cluster.PgNode;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A primary and N streaming replicas, each a container of the pgsplit-postgres image on the host's network
 * (Testcontainers, host networking, ports the harness picks, images never pulled). Closing it removes every
 * container it started, whatever state it is in; a container that died on its own is reported with its output.
 */
public final class ContainerPgCluster implements PgCluster {
  private static final Logger log = LoggerFactory.getLogger(ContainerPgCluster.class);

  private final String id;
  private final String superuserPassword;
  private final String appUser;
  private final String appPassword;
  private final List<ContainerPgNode> nodes;
  private DeathWatch deathWatch;
  private boolean closed;

  ContainerPgCluster(String id, String superuserPassword, String appUser, String appPassword,
      List<ContainerPgNode> nodes) {
    this.id = id;
    this.superuserPassword = superuserPassword;
    this.appUser = appUser;
    this.appPassword = appPassword;
    this.nodes = List.copyOf(nodes);
  }

  public static ContainerClusterBuilder builder() {
    return new ContainerClusterBuilder();
  }

  @Override
  public List<PgNode> nodes() {
    return List.copyOf(nodes);
  }

  List<ContainerPgNode> containerNodes() {
    return nodes;
  }

  void watchForDeaths(DeathWatch watch) {
    this.deathWatch = watch;
  }

  /** The id in every container's {@value ContainerClusterBuilder#CLUSTER_LABEL} label and name. */
  public String id() {
    return id;
  }

  @Override
  public String superuser() {
    return PgNode.SUPERUSER;
  }

  @Override
  public String superuserPassword() {
    return superuserPassword;
  }

  @Override
  public String appUser() {
    return appUser;
  }

  @Override
  public String appPassword() {
    return appPassword;
  }

  /**
   * Removes every container, replicas first, after copying its output to its log file.
   *
   * @throws PgClusterException naming each container that exited on its own during the cluster's life, with its
   *     last output; the containers are removed all the same
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int i = nodes.size() - 1; i >= 0; i--) {
      try {
        nodes.get(i).remove();
      } catch (RuntimeException e) {
        log.warn("Could not remove the container of {}", nodes.get(i).name(), e);
      }
    }
    if (deathWatch == null) {
      return;
    }
    try {
      deathWatch.close();
    } catch (IOException e) {
      log.warn("Could not stop following the engine's events", e);
    }
    List<String> deaths = deathWatch.unexpectedExits();
    if (!deaths.isEmpty()) {
      throw new PgClusterException("Servers of " + this + " died during the run:\n" + String.join("\n", deaths));
    }
  }

  @Override
  public String toString() {
    return "ContainerPgCluster " + id + nodes.stream().map(ContainerPgNode::name).toList();
  }
}
