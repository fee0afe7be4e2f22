package io.pgsplit.it;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** psql against one address as the app user: no psqlrc, stop at the first error, unaligned tuples only. */
final class Psql {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final InetSocketAddress address;
  private final String user;
  private final String password;

  Psql(InetSocketAddress address, String user, String password) {
    this.address = address;
    this.user = user;
    this.password = password;
  }

  /** {@code psql -c}, once per command, in order. */
  ExternalCommand.Result commands(String... commands) {
    List<String> arguments = new ArrayList<>();
    for (String command : commands) {
      arguments.add("-c");
      arguments.add(command);
    }
    return run(arguments);
  }

  /** {@code psql -f}. */
  ExternalCommand.Result file(Path script) {
    return run(List.of("-f", script.toString()));
  }

  private ExternalCommand.Result run(List<String> arguments) {
    List<String> command = new ArrayList<>(List.of("psql", connectionUri(), "-X", "-At", "-v", "ON_ERROR_STOP=1"));
    command.addAll(arguments);
    return ExternalCommand.run(command, Map.of("PGPASSWORD", password, "PGCONNECT_TIMEOUT", "5"), TIMEOUT);
  }

  private String connectionUri() {
    return "postgresql://" + user + "@" + address.getHostString() + ":" + address.getPort() + "/"
        + ProxiedCluster.DATABASE;
  }
}
