package io.pgsplit.cluster;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One PostgreSQL server of a {@link PgCluster}, listening on a loopback address: a process of this machine
 * ({@link LocalPgCluster}) or a container on the host's network. Tests drive it through this interface only, so
 * they run unchanged on either.
 */
public interface PgNode {
  /** The superuser every node is initialised with. */
  String SUPERUSER = "postgres";

  /** "pg1", "pg2", …; also the node's cluster_name and, on a replica, its replication application_name. */
  String name();

  String host();

  int port();

  default String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
  }

  /** A superuser connection to database postgres; login gives up after 10 s (a suspended server never answers). */
  default Connection connectAsSuperuser() throws SQLException {
    return connectAsSuperuser("postgres");
  }

  /** A superuser connection to {@code database}; login gives up after 10 s. */
  Connection connectAsSuperuser(String database) throws SQLException;

  /**
   * The server's log as a file on this machine. A local server writes it itself; a container's output is copied
   * there, up to the moment of the call.
   */
  Path logFile();

  /** Starts the stopped server and returns once it accepts connections (for a standby: once it is consistent). */
  void start();

  /** Fast shutdown: disconnects clients, writes a shutdown checkpoint. Resumes a suspended server first. */
  void stop();

  /** Immediate shutdown: no checkpoint, crash recovery on the next start. Resumes a suspended server first. */
  void stopImmediate();

  /** SIGKILL to the whole server at once, like a crashed host; returns once nothing of it runs. */
  void kill9();

  /** Freezes the server: it still holds its port but answers nothing until {@link #resume()}. */
  void suspend();

  /** Thaws what {@link #suspend()} froze. */
  void resume();

  /** Whether {@link #suspend()} froze the server and nothing has resumed, stopped or killed it since. */
  boolean isSuspended();

  /** Promotes a standby and returns once it accepts writes. */
  void promote();

  /** Whether the server runs; a suspended server does. */
  boolean isRunning();

  /** {@code pg_is_in_recovery()} on this node: true for a standby. */
  default boolean isInRecovery() {
    try (Connection connection = connectAsSuperuser();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT pg_is_in_recovery()")) {
      result.next();
      return result.getBoolean(1);
    } catch (SQLException e) {
      throw new PgClusterException(name() + ": could not ask pg_is_in_recovery(): " + e.getMessage(), e);
    }
  }
}
