package io.pgsplit.it.session;

import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoop;
import io.pgsplit.cluster.PgNode;
import io.pgsplit.it.admin.PrometheusScrape;
import io.pgsplit.proxy.PgSplitServer;
import io.pgsplit.proxy.config.ConfigException;
import io.pgsplit.proxy.config.ConfigLoader;
import io.pgsplit.proxy.metrics.RouteCount;
import io.pgsplit.proxy.session.ClientSession;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.postgresql.PGConnection;

/** One in-process pgsplit in front of (some nodes of) the {@link SessionCluster}, and the app user's way in. */
final class TestProxy implements AutoCloseable {
  /** Bounds every pgjdbc wait, so a proxy that stops answering fails a test instead of hanging the run. */
  private static final List<String> CLIENT_TIMEOUTS = List.of("connectTimeout=5", "loginTimeout=10",
      "socketTimeout=30");
  /** Far more than the proxy's event loops (twice the cores), so some attempt lands on any given loop. */
  private static final int SAME_LOOP_ATTEMPTS = 64;

  private final SessionCluster cluster;
  private final PgSplitServer server;

  private TestProxy(SessionCluster cluster, PgSplitServer server) {
    this.cluster = cluster;
    this.server = server;
  }

  InetSocketAddress address() {
    return server.listenAddress();
  }

  /** A pgjdbc URL for database "app" through this proxy; {@code parameters} are {@code name=value} pairs. */
  String jdbcUrl(String... parameters) {
    List<String> all = new ArrayList<>(CLIENT_TIMEOUTS);
    all.addAll(Arrays.asList(parameters));
    return "jdbc:postgresql://" + address().getHostString() + ":" + address().getPort() + "/"
        + SessionCluster.DATABASE + "?" + String.join("&", all);
  }

  Connection connect(String... parameters) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(parameters), cluster.appUser(), cluster.appPassword());
  }

  /**
   * A new client whose session runs on the same event loop as {@code first}'s. Replica connections are pooled per
   * event loop, so only such a client can be lent the very server connection {@code first} used; clients that land
   * elsewhere are closed having touched only the primary.
   */
  Connection connectOnSameEventLoopAs(Connection first, String... parameters) throws SQLException {
    EventLoop loop = sessionOf(first).eventLoop();
    List<Connection> elsewhere = new ArrayList<>();
    try {
      for (int attempt = 0; attempt < SAME_LOOP_ATTEMPTS; attempt++) {
        Connection candidate = connect(parameters);
        if (sessionOf(candidate).eventLoop() == loop) {
          return candidate;
        }
        elsewhere.add(candidate);
      }
    } finally {
      for (Connection connection : elsewhere) {
        connection.close();
      }
    }
    throw new AssertionError("No client landed on the event loop of the first in " + SAME_LOOP_ATTEMPTS + " tries");
  }

  /** The proxy's session of a client, found by the process id of the BackendKeyData the proxy gave it. */
  private ClientSession sessionOf(Connection connection) throws SQLException {
    return sessionOf(connection.unwrap(PGConnection.class).getBackendPID());
  }

  /** The proxy's session whose BackendKeyData carries {@code processId}. */
  ClientSession sessionOf(int processId) {
    // A session is registered just after its ReadyForQuery is sent, so the client may be a little ahead.
    return await("the session of client " + processId).atMost(Duration.ofSeconds(5))
        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
        .until(() -> server.context().sessions().stream()
            .filter(session -> session.clientKey().processId() == processId).findFirst(), Optional::isPresent)
        .orElseThrow();
  }

  /** {@code pgsplit_session_pins_total{reason}} in the proxy's Prometheus scrape; 0 before the first such pin. */
  double pins(String reason) {
    return PrometheusScrape.parse(server.metrics().scrape())
        .samples("pgsplit_session_pins_total", "reason", reason).stream()
        .mapToDouble(PrometheusScrape.Sample::value).sum();
  }

  /** {@code pgsplit_server_connections{server, state}} in the proxy's Prometheus scrape; 0 when there is no such series. */
  double serverConnections(String server, String state) {
    return serverConnections(scrape(), server, state);
  }

  /** The same, from a scrape already taken. */
  static double serverConnections(PrometheusScrape scrape, String server, String state) {
    return scrape.samples("pgsplit_server_connections", "server", server, "state", state).stream()
        .mapToDouble(PrometheusScrape.Sample::value).sum();
  }

  PrometheusScrape scrape() {
    return PrometheusScrape.parse(server.metrics().scrape());
  }

  InetSocketAddress adminAddress() {
    return server.adminAddress().orElseThrow(() -> new IllegalStateException("started without withAdmin()"));
  }

  PgSplitServer server() {
    return server;
  }

  /** {@code pgsplit_connection_resets_total{reason}}; 0 before the first such reset. */
  double resets(String reason) {
    return PrometheusScrape.parse(server.metrics().scrape())
        .samples("pgsplit_connection_resets_total", "reason", reason).stream()
        .mapToDouble(PrometheusScrape.Sample::value).sum();
  }

  /** Statements and Sync groups the proxy routed for {@code reason} to servers of {@code role}. */
  long routed(String role, String reason) {
    return server.metrics().routeCounts().stream()
        .filter(count -> count.role().equals(role) && count.reason().equals(reason))
        .mapToLong(RouteCount::count).sum();
  }

  @Override
  public void close() {
    server.close();
  }

  /** The YAML an operator would write for a pgsplit in front of some nodes, with health probes every 200 ms. */
  static final class Config {
    private final SessionCluster cluster;
    private List<PgNode> servers;
    private Optional<Integer> replicaMaxPerServer = Optional.empty();
    private Optional<String> acquireTimeout = Optional.empty();
    private Optional<Integer> primaryMaxPerServer = Optional.empty();
    private Optional<String> poolMode = Optional.empty();
    private Optional<String> authType = Optional.empty();
    private Optional<String> consistency = Optional.empty();
    private Optional<Integer> maxClientConnections = Optional.empty();
    private Optional<Integer> maxPreparedStatements = Optional.empty();
    private Optional<Integer> maxPendingLogins = Optional.empty();
    private boolean admin;
    private Optional<String> routing = Optional.empty();

    Config(SessionCluster cluster, List<PgNode> servers) {
      this.cluster = cluster;
      this.servers = List.copyOf(servers);
    }

    Config servers(PgNode... nodes) {
      this.servers = List.of(nodes);
      return this;
    }

    Config replicaMaxPerServer(int max) {
      this.replicaMaxPerServer = Optional.of(max);
      return this;
    }

    Config primaryMaxPerServer(int max) {
      this.primaryMaxPerServer = Optional.of(max);
      return this;
    }

    /** {@code session} or {@code transaction}. */
    Config poolMode(String mode) {
      this.poolMode = Optional.of(mode);
      return this;
    }

    /** {@code scram-sha-256} (the default), {@code md5} or {@code plain}. */
    Config authType(String type) {
      this.authType = Optional.of(type);
      return this;
    }

    /** {@code read-your-writes} instead of these tests' {@code eventual}. */
    Config consistency(String mode) {
      this.consistency = Optional.of(mode);
      return this;
    }

    /** An admin HTTP listener on a free loopback port: {@link TestProxy#adminAddress()}. */
    Config withAdmin() {
      this.admin = true;
      return this;
    }

    Config maxPendingLogins(int max) {
      this.maxPendingLogins = Optional.of(max);
      return this;
    }

    /** The body of the {@code routing} section in flow style, e.g. {@code catalog: off}. */
    Config routing(String settings) {
      this.routing = Optional.of(settings);
      return this;
    }

    Config maxClientConnections(int max) {
      this.maxClientConnections = Optional.of(max);
      return this;
    }

    /** {@code pool.max_prepared_statements_per_connection}. */
    Config maxPreparedStatementsPerConnection(int max) {
      this.maxPreparedStatements = Optional.of(max);
      return this;
    }

    /** A duration such as {@code 1s}. */
    Config acquireTimeout(String timeout) {
      this.acquireTimeout = Optional.of(timeout);
      return this;
    }

    String render() {
      StringBuilder yaml = new StringBuilder("listen: 127.0.0.1:0\n");
      if (admin) {
        yaml.append("admin: 127.0.0.1:0\n");
      }
      poolMode.ifPresent(mode -> yaml.append("pool_mode: ").append(mode).append('\n'));
      authType.ifPresent(type -> yaml.append("auth_type: ").append(type).append('\n'));
      yaml.append("servers:\n");
      for (PgNode node : servers) {
        yaml.append("  - {name: ").append(node.name()).append(", host: ").append(node.host())
            .append(", port: ").append(node.port()).append("}\n");
      }
      yaml.append("users:\n  - {name: ").append(cluster.appUser()).append(", password: ")
          .append(cluster.appPassword()).append("}\n");
      yaml.append("health: {interval: 200ms, timeout: 1s}\n");
      // These tests prove where statements run and that session state follows them; reads right after a write
      // would go to the primary under read-your-writes (the default), whose own tests are in it.consistency.
      yaml.append("consistency: ").append(consistency.orElse("eventual")).append('\n');
      List<String> pool = new ArrayList<>();
      replicaMaxPerServer.ifPresent(max -> pool.add("replica_max_per_server: " + max));
      primaryMaxPerServer.ifPresent(max -> pool.add("primary_max_per_server: " + max));
      acquireTimeout.ifPresent(timeout -> pool.add("acquire_timeout: " + timeout));
      maxPreparedStatements.ifPresent(max -> pool.add("max_prepared_statements_per_connection: " + max));
      if (!pool.isEmpty()) {
        yaml.append("pool: {").append(String.join(", ", pool)).append("}\n");
      }
      List<String> limits = new ArrayList<>();
      maxClientConnections.ifPresent(max -> limits.add("max_client_connections: " + max));
      maxPendingLogins.ifPresent(max -> limits.add("max_pending_logins: " + max));
      if (!limits.isEmpty()) {
        yaml.append("limits: {").append(String.join(", ", limits)).append("}\n");
      }
      routing.ifPresent(settings -> yaml.append("routing: {").append(settings).append("}\n"));
      return yaml.toString();
    }

    TestProxy start() {
      try {
        return new TestProxy(cluster, PgSplitServer.start(ConfigLoader.parse(render(), "session-test")));
      } catch (ConfigException e) {
        throw new IllegalStateException("The test configuration is invalid:\n" + render(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while starting pgsplit", e);
      }
    }
  }
}
