package io.pgsplit.it.session;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pgbench as the app user, run to completion with a deadline. Its output goes to a file, never a pipe, so it cannot
 * block on a full pipe; past the deadline it is destroyed and the test fails.
 */
final class Pgbench {
  private static final Pattern PROCESSED = Pattern.compile("number of transactions actually processed: (\\d+)");
  private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");
  /** Connection set-up and the final report, beyond the run's own duration. */
  private static final Duration SLACK = Duration.ofSeconds(30);

  private final InetSocketAddress address;
  private final String database;
  private final String user;
  private final String password;

  Pgbench(InetSocketAddress address, String database, String user, String password) {
    this.address = address;
    this.database = database;
    this.user = user;
    this.password = password;
  }

  /** What pgbench printed, with the numbers the tests judge. */
  record Summary(long processedTransactions, long failedTransactions, String output) {}

  /** {@code pgbench -i -s 1}: creates and fills the pgbench tables. */
  void initialize() throws InterruptedException {
    run(List.of("-i", "-s", "1", "-q"), SLACK);
  }

  /** A run of {@code seconds} with {@code options}; fails the test unless pgbench exits 0 and prints its summary. */
  Summary benchmark(int seconds, String... options) throws InterruptedException {
    List<String> arguments = new ArrayList<>(List.of(options));
    arguments.addAll(List.of("-T", Integer.toString(seconds)));
    String output = run(arguments, Duration.ofSeconds(seconds).plus(SLACK));
    return new Summary(number(PROCESSED, output), number(FAILED, output), output);
  }

  private String run(List<String> arguments, Duration timeout) throws InterruptedException {
    List<String> command = new ArrayList<>(List.of("pgbench", "-h", address.getHostString(),
        "-p", Integer.toString(address.getPort()), "-U", user));
    command.addAll(arguments);
    command.add(database);
    Path output = null;
    Process process = null;
    try {
      output = Files.createTempFile("pgsplit-session-pgbench-", ".out");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(output.toFile());
      builder.environment().put("PGPASSWORD", password);
      builder.environment().put("PGCONNECT_TIMEOUT", "5");
      process = builder.start();
      boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      String printed = Files.readString(output);
      if (!finished || process.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command)
            + (finished ? " exited with " + process.exitValue() : " did not finish within " + timeout)
            + "\n--- output:\n" + printed);
      }
      return printed;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not run " + command, e);
    } finally {
      if (process != null && process.isAlive()) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
      deleteQuietly(output);
    }
  }

  private static long number(Pattern pattern, String output) {
    Matcher matcher = pattern.matcher(output);
    if (!matcher.find()) {
      throw new AssertionError("pgbench printed no line matching " + pattern + "\n" + output);
    }
    return Long.parseLong(matcher.group(1));
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A leftover temporary file is harmless; the test's outcome matters more.
      }
    }
  }
}
