package io.pgsplit.cluster;

import java.nio.file.Path;
import java.util.Map;

/** What {@link LocalPgCluster.Builder} was asked for; nullable fields mean "use the default". */
record ClusterSpec(int replicas, Path baseDirectory, Credentials superuser, Credentials app,
    Map<String, String> settings, PgBinaries binaries, Path logDirectory) {}
