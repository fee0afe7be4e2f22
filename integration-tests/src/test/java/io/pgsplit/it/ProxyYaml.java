package io.pgsplit.it;

import io.pgsplit.cluster.PgCluster;
import io.pgsplit.cluster.PgNode;
import io.pgsplit.proxy.config.ConfigLoader;
import io.pgsplit.proxy.config.ConfigException;
import io.pgsplit.proxy.config.PgSplitConfig;
import java.util.Optional;
import java.util.stream.Collectors;

/** The YAML configuration of a proxy in front of a test cluster, with the few knobs the tests turn. */
final class ProxyYaml {
  private final PgCluster cluster;
  private Optional<String> authType = Optional.empty();
  private Optional<String> maxMessageSize = Optional.empty();
  private Optional<String> parseTimeout = Optional.empty();

  private ProxyYaml(PgCluster cluster) {
    this.cluster = cluster;
  }

  /** Every node of the cluster, the app user, and health probes every 200 ms. */
  static ProxyYaml forCluster(PgCluster cluster) {
    return new ProxyYaml(cluster);
  }

  /** {@code scram-sha-256} (the proxy's default), {@code md5} or {@code plain}. */
  ProxyYaml authType(String type) {
    this.authType = Optional.of(type);
    return this;
  }

  /** A size such as {@code 1MB}. */
  ProxyYaml maxMessageSize(String size) {
    this.maxMessageSize = Optional.of(size);
    return this;
  }

  /** {@code routing.parse_timeout}, such as {@code 1ms}. */
  ProxyYaml parseTimeout(String timeout) {
    this.parseTimeout = Optional.of(timeout);
    return this;
  }

  String render() {
    StringBuilder yaml = new StringBuilder("listen: 127.0.0.1:0\n");
    authType.ifPresent(type -> yaml.append("auth_type: ").append(type).append('\n'));
    yaml.append("servers:\n").append(cluster.nodes().stream().map(ProxyYaml::serverEntry)
        .collect(Collectors.joining()));
    yaml.append("users:\n  - {name: ").append(cluster.appUser()).append(", password: ")
        .append(cluster.appPassword()).append("}\n");
    yaml.append("health: {interval: 200ms, timeout: 1s}\n");
    // These tests prove where statements run and that session state follows them; reads right after a write
    // would go to the primary under read-your-writes (the default), whose own tests are in it.consistency.
    yaml.append("consistency: eventual\n");
    maxMessageSize.ifPresent(size -> yaml.append("limits: {max_message_size: ").append(size).append("}\n"));
    parseTimeout.ifPresent(timeout -> yaml.append("routing: {parse_timeout: ").append(timeout).append("}\n"));
    return yaml.toString();
  }

  PgSplitConfig config() {
    try {
      return ConfigLoader.parse(render(), "integration-test");
    } catch (ConfigException e) {
      throw new IllegalStateException("The test configuration is invalid:\n" + render(), e);
    }
  }

  private static String serverEntry(PgNode node) {
    return "  - {name: " + node.name() + ", host: " + node.host() + ", port: " + node.port() + "}\n";
  }
}
