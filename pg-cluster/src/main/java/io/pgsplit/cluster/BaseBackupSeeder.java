package io.pgsplit.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Seeds each replica with pg_basebackup from the running primary, WAL streamed alongside, as the superuser. */
final class BaseBackupSeeder implements ReplicaSeeder {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private final PgBinaries binaries;
  private final CommandRunner runner;
  private final String superuserPassword;

  BaseBackupSeeder(PgBinaries binaries, CommandRunner runner, String superuserPassword) {
    this.binaries = binaries;
    this.runner = runner;
    this.superuserPassword = superuserPassword;
  }

  @Override
  public void seed(LocalPgNode primary, List<LocalPgNode> replicas) {
    for (LocalPgNode replica : replicas) {
      // --checkpoint=fast: a spread checkpoint would stall the backup for minutes; --no-sync: throwaway data.
      runner.run(replica.name() + " pg_basebackup", List.of(binaries.bin("pg_basebackup").toString(),
          "-D", replica.dataDirectory().toString(), "-h", primary.host(), "-p", Integer.toString(primary.port()),
          "-U", PgNode.SUPERUSER, "-X", "stream", "--checkpoint=fast", "--no-sync", "--no-password"),
          Map.of("PGPASSWORD", superuserPassword), replica.logFile(), TIMEOUT);
    }
  }
}
