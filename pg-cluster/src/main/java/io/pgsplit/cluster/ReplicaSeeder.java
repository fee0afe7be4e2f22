package io.pgsplit.cluster;

import java.util.List;

/** Fills the data directories of new replicas with a copy of the primary's. */
interface ReplicaSeeder {
  void seed(LocalPgNode primary, List<LocalPgNode> replicas);

  /** pg_basebackup where the installation has it, otherwise a copy of the stopped primary. */
  static ReplicaSeeder forBinaries(PgBinaries binaries, CommandRunner runner, String superuserPassword) {
    return binaries.hasBaseBackup() ? new BaseBackupSeeder(binaries, runner, superuserPassword)
        : new StoppedPrimaryCopySeeder(runner);
  }
}
