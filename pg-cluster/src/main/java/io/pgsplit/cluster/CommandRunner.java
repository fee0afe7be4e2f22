package io.pgsplit.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs PostgreSQL tools as the server account. Output goes to the node's log file, never to a pipe: a server
 * started by pg_ctl would inherit the pipe and keep it open for its whole life.
 */
final class CommandRunner {
  private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);

  private final ServerAccount account;
  private final Path workingDirectory;

  CommandRunner(ServerAccount account, Path workingDirectory) {
    this.account = account;
    this.workingDirectory = workingDirectory;
  }

  ServerAccount account() {
    return account;
  }

  /** Runs {@code command} and throws, with the log tail, unless it exits with status 0 within {@code timeout}. */
  void run(String purpose, List<String> command, Path logFile, Duration timeout) {
    run(purpose, command, Map.of(), logFile, timeout);
  }

  /**
   * As {@link #run(String, List, Path, Duration)}, with {@code environment} added: a password goes there (PGPASSWORD),
   * which only the account itself can read, never on the command line, which {@code ps} shows every user.
   */
  void run(String purpose, List<String> command, Map<String, String> environment, Path logFile, Duration timeout) {
    int status = exitStatus(purpose, command, environment, logFile, timeout);
    if (status != 0) {
      throw new PgClusterException(purpose + " failed with exit status " + status + ": " + String.join(" ", command)
          + "\n" + LogTail.of(logFile));
    }
  }

  /** Runs {@code command} and returns its exit status; throws only when it cannot run or outlives {@code timeout}. */
  int exitStatus(String purpose, List<String> command, Path logFile, Duration timeout) {
    return exitStatus(purpose, command, Map.of(), logFile, timeout);
  }

  private int exitStatus(String purpose, List<String> command, Map<String, String> environment, Path logFile,
      Duration timeout) {
    List<String> commandLine = account.wrap(command);
    log.debug("{}: {}", purpose, commandLine);
    ProcessBuilder builder = new ProcessBuilder(commandLine)
        .directory(workingDirectory.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .redirectErrorStream(true);
    removeLibpqEnvironment(builder.environment());
    builder.environment().putAll(environment);
    try {
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new PgClusterException(purpose + " did not finish within " + timeout.toSeconds() + " s: "
            + String.join(" ", command) + "\n" + LogTail.of(logFile));
      }
      return process.exitValue();
    } catch (IOException e) {
      throw new PgClusterException(purpose + " could not run: " + String.join(" ", commandLine), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PgClusterException(purpose + " was interrupted", e);
    }
  }

  /** PGPORT, PGHOST, PGDATA and friends from the caller's shell would silently redirect the tools. */
  private static void removeLibpqEnvironment(Map<String, String> environment) {
    environment.keySet().removeIf(name -> name.startsWith("PG"));
  }
}
