package io.pgsplit.it.operations;

import static org.awaitility.Awaitility.await;

import io.pgsplit.it.TestClusters;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * pgsplit as an operator runs it, driven by signals: {@code java -jar pgsplit.jar --config FILE} in a JVM of its own,
 * or — when the run's servers are containers — the pgsplit:latest image, with the config's directory mounted at
 * /etc/pgsplit. Its console output goes to a log file that outlives the test; closing stops whatever still runs.
 */
interface PgSplitProcess extends AutoCloseable {
  /** Logged by the launcher once the listener is up and the signal handlers are installed. */
  String READY = "in front of";

  /** Starts {@code pgsplit --config config [options]} and returns once it is ready for clients and signals. */
  static PgSplitProcess start(Path config, Path log, String... options) throws IOException {
    if (TestClusters.onContainers() && TestClusters.containersAvailable(PgSplitContainer.IMAGE)) {
      return PgSplitContainer.start(config, log, options);
    }
    return JvmPgSplitProcess.start(config, log, options);
  }

  /** Sends SIGNAME, as a service manager, an operator or {@code docker kill --signal} does. */
  void signal(String name) throws IOException, InterruptedException;

  /** Everything pgsplit wrote to its console so far. */
  String log();

  /** The configuration file's path as pgsplit itself sees it (inside its container, when it runs in one). */
  String configPath();

  /** The exit code once pgsplit has ended; empty while it runs. */
  OptionalInt exitCode();

  /** The exit code; fails if pgsplit is still running after {@code timeout}. */
  int awaitExit(Duration timeout) throws InterruptedException;

  /** Fails at once if pgsplit ends without having logged {@code text}. */
  default void awaitLog(String text, Duration timeout) {
    await("pgsplit to log '" + text + "'").atMost(timeout).pollInterval(Duration.ofMillis(50))
        .until(() -> {
          String output = log();
          OptionalInt exit = exitCode();
          if (!output.contains(text) && exit.isPresent()) {
            throw new AssertionError("pgsplit exited with " + exit.getAsInt() + " before logging '" + text
                + "'\n" + output);
          }
          return output.contains(text);
        });
  }

  @Override
  void close();
}
