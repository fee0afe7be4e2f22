package io.pgsplit.cluster;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Brings a {@link LocalPgCluster} up: initdb the primary, create the app database, seed and start replicas. */
final class ClusterLauncher {
  private static final Logger log = LoggerFactory.getLogger(ClusterLauncher.class);
  private static final Duration STREAMING_TIMEOUT = Duration.ofSeconds(60);

  private final ClusterSpec spec;

  ClusterLauncher(ClusterSpec spec) {
    this.spec = spec;
  }

  LocalPgCluster launch() {
    long startedAt = System.nanoTime();
    LocalPgCluster cluster;
    CommandRunner runner;
    try {
      PgBinaries binaries = spec.binaries() != null ? spec.binaries() : PgBinaries.locate();
      ServerAccount account = ServerAccount.forThisProcess();
      BaseDirectory base = BaseDirectory.prepare(spec.baseDirectory(), account);
      runner = new CommandRunner(account, base.path());
      cluster = new LocalPgCluster(base, binaries, spec, nodes(base, binaries, runner));
    } catch (RuntimeException e) {
      throw new ClusterStartException("Could not prepare a PostgreSQL cluster: " + e.getMessage(), e);
    }
    try {
      bringUp(cluster, runner);
    } catch (RuntimeException | SQLException e) {
      cluster.close();
      throw new ClusterStartException("Could not start a PostgreSQL cluster (binaries " + cluster.binaries()
          + ") in " + cluster.baseDirectory() + ": " + e.getMessage(), e);
    }
    log.info("Started {} with PostgreSQL {} in {} ms", cluster, cluster.binaries().majorVersion(),
        Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
    return cluster;
  }

  private List<LocalPgNode> nodes(BaseDirectory base, PgBinaries binaries, CommandRunner runner) {
    List<LocalPgNode> nodes = new ArrayList<>();
    for (int i = 1; i <= 1 + spec.replicas(); i++) {
      String name = "pg" + i;
      nodes.add(new LocalPgNode(name, FreePorts.pick(), base.path().resolve(name), binaries, runner,
          spec.superuser().password()));
    }
    return nodes;
  }

  private void bringUp(LocalPgCluster cluster, CommandRunner runner) throws SQLException {
    LocalPgNode primary = cluster.localNodes().get(0);
    List<LocalPgNode> replicas = cluster.localNodes().subList(1, cluster.localNodes().size());
    NodeConfiguration configuration = new NodeConfiguration(spec.settings(), spec.tls());
    primary.createDirectory();
    primary.initialize();
    configuration.writePrimary(primary);
    runner.account().handOver(primary.dataDirectory());
    primary.start();
    // Before seeding, so that replicas cloned by copy have the role, the database and the extension too.
    AppDatabase.create(primary, spec.app());
    if (replicas.isEmpty()) {
      return;
    }
    replicas.forEach(LocalPgNode::createDirectory);
    ReplicaSeeder.forBinaries(cluster.binaries(), runner, spec.superuser().password()).seed(primary, replicas);
    for (LocalPgNode replica : replicas) {
      configuration.writeStandby(replica, primary, spec.superuser().password());
      runner.account().handOver(replica.dataDirectory());
      replica.start();
    }
    ReplicationWatch.awaitStreaming(primary, replicas, STREAMING_TIMEOUT);
  }
}
