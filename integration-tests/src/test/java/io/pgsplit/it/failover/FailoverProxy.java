package io.pgsplit.it.failover;

import io.pgsplit.cluster.PgNode;
import io.pgsplit.health.ServerHealth;
import io.pgsplit.health.Topology;
import io.pgsplit.proxy.PgSplitServer;
import io.pgsplit.proxy.config.ConfigException;
import io.pgsplit.proxy.config.ConfigLoader;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * pgsplit in front of a {@link FailoverCluster}, probing every 200 ms with a 500 ms timeout, fall 2, rise 2, so
 * that failures are noticed within about a second; optionally with a {@link FaultyRelay} between it and a server.
 */
final class FailoverProxy implements AutoCloseable {
  static final Duration INTERVAL = Duration.ofMillis(200);
  static final Duration TIMEOUT = Duration.ofMillis(500);
  static final int FALL = 2;
  /** The longest a server that stopped answering can still look healthy: fall rounds, each up to timeout + interval. */
  static final Duration DETECTION_BOUND = INTERVAL.plus(TIMEOUT).multipliedBy(FALL);
  /**
   * Client timeouts (seconds): short enough that nothing hangs a test, long enough that a client timing out is a
   * finding about the proxy rather than about slow machines.
   */
  static final int SOCKET_TIMEOUT_SECONDS = 5;
  private static final String CLIENT_TIMEOUTS =
      "connectTimeout=3&loginTimeout=5&socketTimeout=" + SOCKET_TIMEOUT_SECONDS;
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final FailoverCluster cluster;
  private final PgSplitServer server;

  private FailoverProxy(FailoverCluster cluster, PgSplitServer server) {
    this.cluster = cluster;
    this.server = server;
  }

  static Builder in(FailoverCluster cluster) {
    return new Builder(cluster);
  }

  String jdbcUrl() {
    InetSocketAddress address = server.listenAddress();
    return "jdbc:postgresql://" + address.getHostString() + ":" + address.getPort() + "/" + FailoverCluster.DATABASE
        + "?" + CLIENT_TIMEOUTS + "&ApplicationName=failover-test";
  }

  /** The app user, through this proxy. */
  Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), cluster.appUser(), cluster.appPassword());
  }

  Topology topology() {
    return server.context().topology();
  }

  boolean isReadable(PgNode node) {
    return topology().readableReplicas().stream().anyMatch(replica -> replica.name().equals(node.name()));
  }

  boolean isDown(PgNode node) {
    return health(node).map(server -> !server.up()).orElse(true);
  }

  boolean isPrimary(PgNode node) {
    return topology().primary().map(primary -> primary.name().equals(node.name())).orElse(false);
  }

  /**
   * Polls the proxy's topology every 5 ms until {@code condition} holds and returns {@link System#nanoTime()} of the
   * first poll that saw it; fails after {@code max}.
   */
  long awaitTopology(String what, Predicate<FailoverProxy> condition, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (!condition.test(this)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("pgsplit did not see " + what + " within " + max.toMillis() + " ms; topology: "
            + topology());
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
    return System.nanoTime();
  }

  private Optional<ServerHealth> health(PgNode node) {
    return topology().server(node.name());
  }

  @Override
  public void close() {
    server.close();
  }

  static final class Builder {
    private final FailoverCluster cluster;
    private final Map<String, Integer> relayedPorts = new HashMap<>();
    private String maxReplicaLag;
    private String poolMode;

    private Builder(FailoverCluster cluster) {
      this.cluster = cluster;
    }

    /** pgsplit reaches {@code node} only through {@code relay}, its health probes included. */
    Builder via(PgNode node, FaultyRelay relay) {
      relayedPorts.put(node.name(), relay.port());
      return this;
    }

    /** {@code health.max_replica_lag}, e.g. {@code 1MB}. */
    Builder maxReplicaLag(String limit) {
      this.maxReplicaLag = limit;
      return this;
    }

    /** {@code pool_mode}: session (the default) or transaction. */
    Builder poolMode(String mode) {
      this.poolMode = mode;
      return this;
    }

    FailoverProxy start() throws InterruptedException {
      String yaml = render();
      try {
        return new FailoverProxy(cluster, PgSplitServer.start(ConfigLoader.parse(yaml, "failover-test")));
      } catch (ConfigException e) {
        throw new IllegalStateException("the test configuration is invalid:\n" + yaml, e);
      }
    }

    private String render() {
      StringBuilder yaml = new StringBuilder("listen: 127.0.0.1:0\n");
      if (poolMode != null) {
        yaml.append("pool_mode: ").append(poolMode).append('\n');
      }
      yaml.append("servers:\n");
      for (PgNode node : cluster.nodes()) {
        int port = relayedPorts.getOrDefault(node.name(), node.port());
        yaml.append("  - {name: ").append(node.name()).append(", host: ").append(node.host())
            .append(", port: ").append(port).append("}\n");
      }
      yaml.append("users:\n  - {name: ").append(cluster.appUser()).append(", password: ")
          .append(cluster.appPassword()).append("}\n");
      yaml.append("health: {interval: ").append(INTERVAL.toMillis()).append("ms, timeout: ")
          .append(TIMEOUT.toMillis()).append("ms, fall: ").append(FALL).append(", rise: 2");
      if (maxReplicaLag != null) {
        yaml.append(", max_replica_lag: ").append(maxReplicaLag);
      }
      yaml.append("}\n");
      // A server that accepts TCP but never finishes startup must not hold a session as long as a client waits (5 s).
      yaml.append("limits: {connect_timeout: 2s}\n");
      return yaml.toString();
    }
  }
}
