package io.pgsplit.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Seeds replicas by copying the primary's data directory while the primary is cleanly stopped, for installations
 * without pg_basebackup (the zonky binaries ship only initdb, pg_ctl and postgres). A cleanly stopped data
 * directory is consistent, and a standby started from it streams from the primary's shutdown checkpoint on.
 */
final class StoppedPrimaryCopySeeder implements ReplicaSeeder {
  private final CommandRunner runner;

  StoppedPrimaryCopySeeder(CommandRunner runner) {
    this.runner = runner;
  }

  @Override
  public void seed(LocalPgNode primary, List<LocalPgNode> replicas) {
    primary.stop();
    for (LocalPgNode replica : replicas) {
      try {
        FileTrees.copy(primary.dataDirectory(), replica.dataDirectory());
      } catch (IOException e) {
        throw new UncheckedIOException("Could not copy " + primary.dataDirectory() + " for " + replica.name(), e);
      }
      runner.account().handOver(replica.dataDirectory());
    }
    primary.start();
  }
}
