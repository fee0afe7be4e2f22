package io.pgsplit.cluster.containers;

import io.pgsplit.cluster.Await;
import io.pgsplit.cluster.PgClusterException;
import io.pgsplit.cluster.PgNode;
import io.pgsplit.cluster.SuperuserLogin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.testcontainers.containers.GenericContainer;

/**
 * One PostgreSQL server of a {@link ContainerPgCluster}: a container of the pgsplit-postgres image on the host's
 * network, whose PID 1 is the postmaster. Stopping the server stops the container and starting it again runs the
 * same container, data directory and all; freezing it is {@code docker pause}.
 */
final class ContainerPgNode implements PgNode {
  private static final String HOST = "127.0.0.1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final int LOG_TAIL_LINES = 40;

  private final String name;
  private final int port;
  private final String superuserPassword;
  private final GenericContainer<?> container;
  private final ContainerControl control;
  private final Path logFile;
  /** Set while the harness itself stops or kills the server, so that its exit is not reported as a death. */
  private volatile boolean exitExpected;

  ContainerPgNode(String name, int port, String superuserPassword, GenericContainer<?> container, Path logFile) {
    this.name = name;
    this.port = port;
    this.superuserPassword = superuserPassword;
    this.container = container;
    this.control = new ContainerControl(container);
    this.logFile = logFile;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String host() {
    return HOST;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public Connection connectAsSuperuser(String database) throws SQLException {
    return SuperuserLogin.connect(jdbcUrl(database), superuserPassword);
  }

  /** The container's output up to now, written to the node's log file. */
  @Override
  public synchronized Path logFile() {
    if (container.getContainerId() != null) {
      try {
        Files.writeString(logFile, control.output());
      } catch (IOException e) {
        throw new UncheckedIOException("Could not write " + logFile, e);
      } catch (RuntimeException e) {
        // The container is gone: the copy made last stays.
      }
    }
    return logFile;
  }

  /** Creates and starts the container the first time: Testcontainers waits for the server's "ready" line. */
  void launch() {
    container.start();
  }

  @Override
  public void start() {
    exitExpected = false;
    control.restart();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!acceptsConnections()) {
      if (!control.isRunning()) {
        throw new PgClusterException(name + " exited while starting\n" + logTail());
      }
      if (System.nanoTime() - deadline > 0) {
        throw new PgClusterException(name + " did not accept connections within " + START_TIMEOUT.toSeconds()
            + " s\n" + logTail());
      }
      sleep();
    }
  }

  @Override
  public void stop() {
    stopWith("INT", "fast");
  }

  @Override
  public void stopImmediate() {
    stopWith("QUIT", "immediate");
  }

  @Override
  public void kill9() {
    if (!control.isRunning()) {
      return;
    }
    stopWith("KILL", "SIGKILL");
  }

  @Override
  public void suspend() {
    if (!control.isRunning()) {
      throw new IllegalStateException(name + " is not running");
    }
    control.pause();
  }

  @Override
  public void resume() {
    if (control.isPaused()) {
      control.unpause();
    }
  }

  @Override
  public boolean isSuspended() {
    return control.isPaused();
  }

  /** pg_promote() waits (up to 60 s) until the standby has left recovery. */
  @Override
  public void promote() {
    try (Connection connection = connectAsSuperuser(); Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_promote(true, 60)");
    } catch (SQLException e) {
      throw new PgClusterException(name + ": pg_promote() failed: " + e.getMessage() + "\n" + logTail(), e);
    }
    Await.until(name + " to leave recovery", START_TIMEOUT, () -> !isInRecovery(), this::logTail);
  }

  @Override
  public boolean isRunning() {
    return control.isRunning();
  }

  boolean exitExpected() {
    return exitExpected;
  }

  ContainerControl control() {
    return control;
  }

  String containerId() {
    return container.getContainerId();
  }

  String logTail() {
    try {
      return control.outputTail(LOG_TAIL_LINES);
    } catch (RuntimeException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** Removes the container, data and all; its output is copied to the log file first. Never throws. */
  void remove() {
    exitExpected = true;
    logFile();
    container.stop();
  }

  /** A suspended server is thawed first: a frozen postmaster would act on the signal only once thawed. */
  private void stopWith(String signal, String mode) {
    exitExpected = true;
    resume();
    if (!control.isRunning()) {
      return;
    }
    control.signal(signal);
    if (control.awaitExit(STOP_TIMEOUT).isEmpty()) {
      throw new PgClusterException(name + " did not stop (" + mode + ") within " + STOP_TIMEOUT.toSeconds() + " s\n"
          + logTail());
    }
  }

  private boolean acceptsConnections() {
    try (Connection connection = connectAsSuperuser()) {
      return connection.isValid(5);
    } catch (SQLException e) {
      return false;
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PgClusterException("Interrupted while waiting", e);
    }
  }

  @Override
  public String toString() {
    return name + "@" + HOST + ":" + port + " (container " + container.getContainerName() + ")";
  }
}
