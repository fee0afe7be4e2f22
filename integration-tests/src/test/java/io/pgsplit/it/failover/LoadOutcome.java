package io.pgsplit.it.failover;

import java.net.SocketTimeoutException;
import java.sql.SQLException;

/**
 * One attempt of one load client: a statement, or opening its connection.
 *
 * @param client     the number of the client (its thread) that made the attempt
 * @param serverPort {@code inet_server_port()} of the server that answered; 0 when there was no answer
 * @param error      SQLSTATE, with "(client timeout)" when pgjdbc's own socket timeout fired; null on success
 */
record LoadOutcome(ClientKind kind, int client, boolean connecting, long startNanos, long endNanos, int serverPort,
                   String error, String message) {
  private static final String CLIENT_TIMEOUT = " (client timeout)";

  static LoadOutcome success(ClientKind kind, int client, long startNanos, int serverPort) {
    return new LoadOutcome(kind, client, false, startNanos, System.nanoTime(), serverPort, null, null);
  }

  static LoadOutcome connected(ClientKind kind, int client, long startNanos) {
    return new LoadOutcome(kind, client, true, startNanos, System.nanoTime(), 0, null, null);
  }

  static LoadOutcome failure(ClientKind kind, int client, boolean connecting, long startNanos, SQLException e) {
    return new LoadOutcome(kind, client, connecting, startNanos, System.nanoTime(), 0, errorKey(e), e.getMessage());
  }

  boolean ok() {
    return error == null;
  }

  long durationMillis() {
    return (endNanos - startNanos) / 1_000_000;
  }

  /** pgjdbc gave up waiting for an answer: the client hung for its whole socket timeout. */
  boolean timedOut() {
    return error != null && error.endsWith(CLIENT_TIMEOUT);
  }

  /** The SQLSTATE alone cannot tell pgjdbc giving up on a silent socket (08006) from a server reporting 08006. */
  private static String errorKey(SQLException e) {
    String state = e.getSQLState() == null ? "no SQLSTATE" : e.getSQLState();
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SocketTimeoutException) {
        return state + CLIENT_TIMEOUT;
      }
    }
    return state;
  }
}
