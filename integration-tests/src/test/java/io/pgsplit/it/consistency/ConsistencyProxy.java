package io.pgsplit.it.consistency;

import io.pgsplit.cluster.PgNode;
import io.pgsplit.it.admin.PrometheusScrape;
import io.pgsplit.proxy.PgSplitServer;
import io.pgsplit.proxy.config.ConfigException;
import io.pgsplit.proxy.config.ConfigLoader;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An in-process pgsplit in front of a {@link ConsistencyCluster}, probing every 200 ms, with the {@code consistency}
 * section and per-user settings a test asks for, written as an operator would write them in YAML.
 */
final class ConsistencyProxy implements AutoCloseable {
  /** Bounds every pgjdbc wait, so a proxy that stops answering fails a test instead of hanging the run. */
  private static final List<String> CLIENT_TIMEOUTS = List.of("connectTimeout=5", "loginTimeout=10",
      "socketTimeout=30");

  private final ConsistencyCluster cluster;
  private final PgSplitServer server;

  private ConsistencyProxy(ConsistencyCluster cluster, PgSplitServer server) {
    this.cluster = cluster;
    this.server = server;
  }

  static Builder in(ConsistencyCluster cluster) {
    return new Builder(cluster);
  }

  InetSocketAddress address() {
    return server.listenAddress();
  }

  /** A pgjdbc URL for database "app" through this proxy; {@code parameters} are {@code name=value} pairs. */
  String jdbcUrl(String... parameters) {
    List<String> all = new ArrayList<>(CLIENT_TIMEOUTS);
    all.addAll(Arrays.asList(parameters));
    return "jdbc:postgresql://" + address().getHostString() + ":" + address().getPort() + "/"
        + ConsistencyCluster.DATABASE + "?" + String.join("&", all);
  }

  /** The app user, through this proxy. */
  Connection connect(String... parameters) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(parameters), cluster.appUser(), cluster.appPassword());
  }

  /** The user configured with {@code consistency: eventual} (see {@link Builder#eventualUser()}). */
  Connection connectAsEventualUser(String... parameters) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(parameters), ConsistencyCluster.EVENTUAL_USER,
        ConsistencyCluster.EVENTUAL_PASSWORD);
  }

  PrometheusScrape metrics() {
    return PrometheusScrape.parse(server.metrics().scrape());
  }

  /** The sum over every sample named {@code name} with these labels, 0 when there is none yet. */
  double metricTotal(String name, String... labelPairs) {
    return metrics().samples(name, labelPairs).stream().mapToDouble(PrometheusScrape.Sample::value).sum();
  }

  @Override
  public void close() {
    server.close();
  }

  static final class Builder {
    private final ConsistencyCluster cluster;
    private String consistency;
    private boolean eventualUser;

    private Builder(ConsistencyCluster cluster) {
      this.cluster = cluster;
    }

    /** The {@code consistency} value as YAML, e.g. {@code eventual} or {@code {mode: read-your-writes, max_wait: 200ms}}. */
    Builder consistency(String yaml) {
      this.consistency = yaml;
      return this;
    }

    /** Adds the user {@value ConsistencyCluster#EVENTUAL_USER} with {@code consistency: eventual}. */
    Builder eventualUser() {
      this.eventualUser = true;
      return this;
    }

    ConsistencyProxy start() throws InterruptedException {
      String yaml = render();
      try {
        return new ConsistencyProxy(cluster, PgSplitServer.start(ConfigLoader.parse(yaml, "consistency-test")));
      } catch (ConfigException e) {
        throw new IllegalStateException("the test configuration is invalid:\n" + yaml, e);
      }
    }

    private String render() {
      StringBuilder yaml = new StringBuilder("listen: 127.0.0.1:0\nservers:\n");
      for (PgNode node : cluster.nodes()) {
        yaml.append("  - {name: ").append(node.name()).append(", host: ").append(node.host())
            .append(", port: ").append(node.port()).append("}\n");
      }
      yaml.append("users:\n  - {name: ").append(cluster.appUser()).append(", password: ")
          .append(cluster.appPassword()).append("}\n");
      if (eventualUser) {
        yaml.append("  - {name: ").append(ConsistencyCluster.EVENTUAL_USER).append(", password: ")
            .append(ConsistencyCluster.EVENTUAL_PASSWORD).append(", consistency: eventual}\n");
      }
      yaml.append("health: {interval: 200ms, timeout: 1s}\n");
      if (consistency != null) {
        yaml.append("consistency: ").append(consistency).append('\n');
      }
      return yaml.toString();
    }
  }
}
