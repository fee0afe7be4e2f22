package io.pgsplit.it;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** pgbench as the app user, with its summary parsed into the numbers the tests judge. */
final class Pgbench {
  private static final Pattern PROCESSED = Pattern.compile("number of transactions actually processed: (\\d+)");
  private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");
  private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+)");
  /** The run's own duration plus connection set-up and the final report. */
  private static final Duration SLACK = Duration.ofSeconds(30);

  private final String user;
  private final String password;

  Pgbench(String user, String password) {
    this.user = user;
    this.password = password;
  }

  record Summary(long processedTransactions, long failedTransactions, double tps, ExternalCommand.Result output) {}

  /** {@code pgbench -i -s 1}: creates and fills the pgbench tables. */
  void initialize(InetSocketAddress address) {
    run(address, List.of("-i", "-s", "1", "-q"), SLACK).requireSuccess();
  }

  /** A benchmark run of {@code seconds}; fails the test when pgbench exits non-zero or prints no summary. */
  Summary benchmark(InetSocketAddress address, int seconds, List<String> options) {
    List<String> arguments = new ArrayList<>(options);
    arguments.addAll(List.of("-T", Integer.toString(seconds)));
    ExternalCommand.Result result = run(address, arguments, Duration.ofSeconds(seconds).plus(SLACK)).requireSuccess();
    return new Summary(number(PROCESSED, result), number(FAILED, result),
        Double.parseDouble(group(TPS, result)), result);
  }

  private ExternalCommand.Result run(InetSocketAddress address, List<String> arguments, Duration timeout) {
    List<String> command = new ArrayList<>(List.of("pgbench", "-h", address.getHostString(),
        "-p", Integer.toString(address.getPort()), "-U", user));
    command.addAll(arguments);
    command.add(ProxiedCluster.DATABASE);
    return ExternalCommand.run(command, Map.of("PGPASSWORD", password, "PGCONNECT_TIMEOUT", "5"), timeout);
  }

  private static long number(Pattern pattern, ExternalCommand.Result result) {
    return Long.parseLong(group(pattern, result));
  }

  private static String group(Pattern pattern, ExternalCommand.Result result) {
    Matcher matcher = pattern.matcher(result.stdout());
    if (!matcher.find()) {
      throw new AssertionError("pgbench printed no line matching " + pattern + "\n" + result);
    }
    return matcher.group(1);
  }
}
