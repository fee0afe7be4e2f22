package io.pgsplit.cluster.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse.ContainerState;
import io.pgsplit.cluster.PgClusterException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;

/**
 * What the harness does to a started container behind Testcontainers' back: signals, freezing, restarting the
 * same container (its file system, data directory included, stays), and reading its state and output.
 */
public final class ContainerControl {
  private static final long POLL_MILLIS = 50;

  private final GenericContainer<?> container;

  public ContainerControl(GenericContainer<?> container) {
    this.container = container;
  }

  private DockerClient client() {
    return DockerClientFactory.instance().client();
  }

  private String id() {
    return container.getContainerId();
  }

  /** {@code docker kill --signal NAME}: "TERM", "INT", "QUIT", "HUP", "KILL". */
  public void signal(String name) {
    client().killContainerCmd(id()).withSignal(name).exec();
  }

  public void pause() {
    client().pauseContainerCmd(id()).exec();
  }

  public void unpause() {
    client().unpauseContainerCmd(id()).exec();
  }

  /** Starts the stopped container again; its command runs anew on the same file system. */
  public void restart() {
    client().startContainerCmd(id()).exec();
  }

  private ContainerState state() {
    return client().inspectContainerCmd(id()).exec().getState();
  }

  /** Running, paused or not: a paused container is running. */
  public boolean isRunning() {
    return Boolean.TRUE.equals(state().getRunning());
  }

  public boolean isPaused() {
    return Boolean.TRUE.equals(state().getPaused());
  }

  /** The exit code of the last run, once the container has stopped. */
  public Optional<Long> exitCode() {
    ContainerState state = state();
    return Boolean.TRUE.equals(state.getRunning()) ? Optional.empty() : Optional.ofNullable(state.getExitCodeLong());
  }

  /** Waits until the container has stopped; the exit code, or empty if it still runs after {@code timeout}. */
  public Optional<Long> awaitExit(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<Long> exit = exitCode();
      if (exit.isPresent() || System.nanoTime() - deadline > 0) {
        return exit;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return exit;
      }
    }
  }

  /** Runs {@code command} in the running container as OS user {@code user} ("root", "postgres", …). */
  public ExecResult exec(String user, String... command) {
    try {
      return container.execInContainerWithUser(user, command);
    } catch (IOException e) {
      throw new PgClusterException("Could not run " + String.join(" ", command) + " in " + container.getContainerName(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PgClusterException("Interrupted while running " + String.join(" ", command), e);
    }
  }

  /** Everything the container wrote to stdout and stderr, over all its runs. */
  public String output() {
    return container.getLogs();
  }

  /** The last {@code lines} lines of {@link #output()}. */
  public String outputTail(int lines) {
    String[] all = output().split("\n", -1);
    int from = Math.max(0, all.length - lines - 1);
    return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
  }
}
