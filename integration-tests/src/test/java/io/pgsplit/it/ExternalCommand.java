package io.pgsplit.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a client program (psql, pgbench) to completion with a deadline. Output goes to temporary files rather than
 * pipes, so a chatty program can never block on a full pipe; a program past its deadline is destroyed with its
 * children, and the test fails.
 */
public final class ExternalCommand {
  private ExternalCommand() {}

  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    public Result requireSuccess() {
      if (exitCode != 0) {
        throw new AssertionError(this.toString());
      }
      return this;
    }

    @Override
    public String toString() {
      return String.join(" ", command) + " exited with " + exitCode + "\n--- stdout:\n" + stdout + "--- stderr:\n"
          + stderr;
    }
  }

  public static Result run(List<String> command, Map<String, String> environment, Duration timeout) {
    Path stdout = null;
    Path stderr = null;
    Process process = null;
    try {
      stdout = Files.createTempFile("pgsplit-it-", ".out");
      stderr = Files.createTempFile("pgsplit-it-", ".err");
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile());
      builder.environment().putAll(environment);
      process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + "\n--- stdout:\n"
            + Files.readString(stdout, StandardCharsets.UTF_8) + "--- stderr:\n"
            + Files.readString(stderr, StandardCharsets.UTF_8));
      }
      return new Result(command, process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
          Files.readString(stderr, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running " + command, e);
    } finally {
      if (process != null && process.isAlive()) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
      deleteQuietly(stdout);
      deleteQuietly(stderr);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A leftover temp file is harmless; the test outcome matters more.
      }
    }
  }
}
