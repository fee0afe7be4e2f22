package io.pgsplit.it.session;

import io.pgsplit.cluster.PgNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * A node's own log. PostgreSQL logs every statement that fails with an ERROR there (log_min_error_statement), so a
 * unique marker in a failing statement tells which server ran it — something no result row can.
 */
final class ServerLog {
  private ServerLog() {}

  static boolean mentions(PgNode node, String text) {
    try {
      return Files.readString(node.logFile(), StandardCharsets.ISO_8859_1).contains(text); // any bytes decode
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the log of " + node.name(), e);
    }
  }
}
