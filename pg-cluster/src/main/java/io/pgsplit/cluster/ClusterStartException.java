package io.pgsplit.cluster;

/** The cluster could not be brought up; everything already started has been stopped again. */
public final class ClusterStartException extends PgClusterException {
  private static final long serialVersionUID = 1L;

  public ClusterStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
