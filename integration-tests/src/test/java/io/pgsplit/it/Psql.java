package io.pgsplit.it;

import io.pgsplit.cluster.PgCluster;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** psql against one address as the app user, one process per call: no psqlrc, stop at the first error, unaligned tuples only. */
public final class Psql {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final InetSocketAddress address;
  private final String user;
  private final String password;
  private final boolean quiet;
  private final List<String> parameters;

  public Psql(InetSocketAddress address, String user, String password) {
    this(address, user, password, false, List.of());
  }

  private Psql(InetSocketAddress address, String user, String password, boolean quiet, List<String> parameters) {
    this.address = address;
    this.user = user;
    this.password = password;
    this.quiet = quiet;
    this.parameters = parameters;
  }

  /** The same psql with {@code -q}: no command tags, so the output holds query results only. */
  public Psql quiet() {
    return new Psql(address, user, password, true, parameters);
  }

  /** The same psql with libpq connection parameters such as {@code sslmode=verify-full}, in the URI's query. */
  public Psql with(String... nameValuePairs) {
    List<String> all = new ArrayList<>(parameters);
    all.addAll(List.of(nameValuePairs));
    return new Psql(address, user, password, quiet, List.copyOf(all));
  }

  /** {@code psql -c}, once per command, in order, in one session. */
  public ExternalCommand.Result commands(String... commands) {
    List<String> arguments = new ArrayList<>();
    for (String command : commands) {
      arguments.add("-c");
      arguments.add(command);
    }
    return run(arguments);
  }

  /** {@code psql -f}. */
  public ExternalCommand.Result file(Path script) {
    return run(List.of("-f", script.toString()));
  }

  private ExternalCommand.Result run(List<String> arguments) {
    List<String> command = new ArrayList<>(List.of("psql", connectionUri(), "-X", "-At", "-v", "ON_ERROR_STOP=1"));
    if (quiet) {
      command.add("-q");
    }
    command.addAll(arguments);
    return ExternalCommand.run(command, Map.of("PGPASSWORD", password, "PGCONNECT_TIMEOUT", "5"), TIMEOUT);
  }

  private String connectionUri() {
    return "postgresql://" + user + "@" + address.getHostString() + ":" + address.getPort() + "/"
        + PgCluster.APP_DATABASE + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters));
  }
}
