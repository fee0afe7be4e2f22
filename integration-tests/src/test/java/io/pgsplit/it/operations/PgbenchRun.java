package io.pgsplit.it.operations;

import io.pgsplit.cluster.PgCluster;
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
 * One pgbench process as the app user, running in the background while the test changes the proxy under it. Its
 * output goes to a file, never a pipe, so it cannot block on a full pipe; closing destroys it if still running.
 */
final class PgbenchRun implements AutoCloseable {
  private static final Pattern PROCESSED = Pattern.compile("number of transactions actually processed: (\\d+)");
  private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");

  private final List<String> command;
  private final Process process;
  private final Path output;

  private PgbenchRun(List<String> command, Process process, Path output) {
    this.command = command;
    this.process = process;
    this.output = output;
  }

  static PgbenchRun start(InetSocketAddress address, String user, String password, List<String> options) {
    List<String> command = new ArrayList<>(List.of("pgbench", "-h", address.getHostString(),
        "-p", Integer.toString(address.getPort()), "-U", user));
    command.addAll(options);
    command.add(PgCluster.APP_DATABASE);
    try {
      Path output = Files.createTempFile("pgsplit-pgbench-", ".out");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(output.toFile());
      builder.environment().put("PGPASSWORD", password);
      builder.environment().put("PGCONNECT_TIMEOUT", "5");
      return new PgbenchRun(command, builder.start(), output);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start " + command, e);
    }
  }

  /** Waits for pgbench to end and fails unless it exited 0. */
  PgbenchRun awaitSuccess(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("pgbench did not finish within " + timeout + "\n" + this);
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(this.toString());
    }
    return this;
  }

  long processedTransactions() {
    return number(PROCESSED);
  }

  long failedTransactions() {
    return number(FAILED);
  }

  private long number(Pattern pattern) {
    Matcher matcher = pattern.matcher(output());
    if (!matcher.find()) {
      throw new AssertionError("pgbench printed no line matching " + pattern + "\n" + this);
    }
    return Long.parseLong(matcher.group(1));
  }

  String output() {
    try {
      return Files.readString(output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    String status = process.isAlive() ? "still running" : "exited with " + process.exitValue();
    return String.join(" ", command) + " " + status + "\n--- output:\n" + output();
  }

  @Override
  public void close() throws IOException {
    if (process.isAlive()) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    Files.deleteIfExists(output);
  }
}
