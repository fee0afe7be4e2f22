package io.pgsplit.cluster;

import java.nio.file.Path;
import java.util.Map;

/**
 * What {@link LocalPgCluster.Builder} was asked for; nullable fields mean "use the default" ({@code tls} null: no
 * TLS, plaintext TCP allowed).
 */
record ClusterSpec(int replicas, Path baseDirectory, Credentials superuser, Credentials app,
    Map<String, String> settings, PgBinaries binaries, Path logDirectory, TlsFiles tls) {

  /** A PEM certificate chain and its key, which every node serves; with them only TLS connections are accepted. */
  record TlsFiles(Path certificateChain, Path privateKey) {}
}
