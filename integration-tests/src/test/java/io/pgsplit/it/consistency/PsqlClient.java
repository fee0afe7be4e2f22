package io.pgsplit.it.consistency;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code psql} as the app user, one process per call: no psqlrc, quiet, unaligned tuples only, stop at the first
 * error. Output goes to a file rather than a pipe, so waiting for the process can time out.
 */
final class PsqlClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final InetSocketAddress address;
  private final String user;
  private final String password;

  PsqlClient(InetSocketAddress address, String user, String password) {
    this.address = address;
    this.user = user;
    this.password = password;
  }

  /** {@code psql -c} once per command, in order, in one session; returns standard output (errors fail the test). */
  String commands(String... commands) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("psql", "postgresql://" + user + "@" + address.getHostString()
        + ":" + address.getPort() + "/" + ConsistencyCluster.DATABASE, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"));
    for (String sql : commands) {
      command.add("-c");
      command.add(sql);
    }
    Path output = Files.createTempFile("pgsplit-consistency-psql-", ".out");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectOutput(output.toFile());
      builder.environment().put("PGPASSWORD", password);
      builder.environment().put("PGCONNECT_TIMEOUT", "5");
      Process psql = builder.start();
      if (!psql.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        psql.destroyForcibly();
        throw new AssertionError(command + " did not finish within " + TIMEOUT + ":\n" + read(output));
      }
      if (psql.exitValue() != 0) {
        throw new AssertionError(command + " exited with " + psql.exitValue() + ":\n" + read(output));
      }
      return read(output);
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static String read(Path output) {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
