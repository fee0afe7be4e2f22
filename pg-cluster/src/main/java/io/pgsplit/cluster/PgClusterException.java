package io.pgsplit.cluster;

/** A PostgreSQL server or tool run by the harness did not do what was asked; the message carries the server log tail. */
public class PgClusterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PgClusterException(String message) {
    super(message);
  }

  public PgClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
