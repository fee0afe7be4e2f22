package io.pgsplit.it;

import io.pgsplit.cluster.PgCluster;
import io.pgsplit.cluster.PgNode;
import io.pgsplit.proxy.config.ConfigLoader;
import io.pgsplit.proxy.config.ConfigException;
import io.pgsplit.proxy.config.PgSplitConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The YAML configuration of a proxy in front of a test cluster, with the few knobs the tests turn. */
final class ProxyYaml {
  private final PgCluster cluster;
  private Optional<String> authType = Optional.empty();
  private Optional<String> maxMessageSize = Optional.empty();
  private Optional<String> parseTimeout = Optional.empty();
  private final Map<String, String> limits = new LinkedHashMap<>();
  private final List<String> extraUsers = new ArrayList<>();
  private Optional<String> routing = Optional.empty();
  private Optional<String> admin = Optional.empty();
  private Optional<String> transport = Optional.empty();
  private final Map<String, String> serverKeys = new HashMap<>();
  private final Map<String, Integer> serverPorts = new HashMap<>();

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

  /** Any other {@code limits} key, e.g. {@code limit("login_timeout", "1s")}. */
  ProxyYaml limit(String key, String value) {
    limits.put(key, value);
    return this;
  }

  /** A user besides the app user; the role must exist on the servers with the same password. */
  ProxyYaml user(String name, String password, boolean admin) {
    extraUsers.add("  - {name: " + name + ", password: " + password + (admin ? ", admin: true" : "") + "}\n");
    return this;
  }

  /** More keys of {@code routing}, as YAML flow entries: {@code catalog: off, replica_policy: least_busy}. */
  ProxyYaml routing(String keys) {
    this.routing = Optional.of(keys);
    return this;
  }

  /** An admin HTTP listener on a free port. */
  ProxyYaml admin() {
    this.admin = Optional.of("127.0.0.1:0");
    return this;
  }

  /** {@code transport}: auto, io_uring, epoll or nio. */
  ProxyYaml transport(String name) {
    this.transport = Optional.of(name);
    return this;
  }

  /** More keys of one server's entry, as YAML flow entries: {@code weight: 3}. */
  ProxyYaml server(String name, String keys) {
    serverKeys.put(name, keys);
    return this;
  }

  /** Reaches the node {@code name} through another port of 127.0.0.1 (a relay in front of it). */
  ProxyYaml serverPort(String name, int port) {
    serverPorts.put(name, port);
    return this;
  }

  String render() {
    StringBuilder yaml = new StringBuilder("listen: 127.0.0.1:0\n");
    authType.ifPresent(type -> yaml.append("auth_type: ").append(type).append('\n'));
    admin.ifPresent(address -> yaml.append("admin: ").append(address).append('\n'));
    transport.ifPresent(name -> yaml.append("transport: ").append(name).append('\n'));
    yaml.append("servers:\n").append(cluster.nodes().stream().map(this::serverEntry)
        .collect(Collectors.joining()));
    yaml.append("users:\n  - {name: ").append(cluster.appUser()).append(", password: ")
        .append(cluster.appPassword()).append("}\n");
    extraUsers.forEach(yaml::append);
    yaml.append("health: {interval: 200ms, timeout: 1s}\n");
    // These tests prove where statements run and that session state follows them; reads right after a write
    // would go to the primary under read-your-writes (the default), whose own tests are in it.consistency.
    yaml.append("consistency: eventual\n");
    Map<String, String> allLimits = new LinkedHashMap<>(limits);
    maxMessageSize.ifPresent(size -> allLimits.put("max_message_size", size));
    if (!allLimits.isEmpty()) {
      yaml.append("limits: {").append(allLimits.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
          .collect(Collectors.joining(", "))).append("}\n");
    }
    StringBuilder routingKeys = new StringBuilder();
    parseTimeout.ifPresent(timeout -> routingKeys.append("parse_timeout: ").append(timeout));
    routing.ifPresent(keys -> routingKeys.append(routingKeys.length() == 0 ? "" : ", ").append(keys));
    if (routingKeys.length() > 0) {
      yaml.append("routing: {").append(routingKeys).append("}\n");
    }
    return yaml.toString();
  }

  PgSplitConfig config() {
    try {
      return ConfigLoader.parse(render(), "integration-test");
    } catch (ConfigException e) {
      throw new IllegalStateException("The test configuration is invalid:\n" + render(), e);
    }
  }

  private String serverEntry(PgNode node) {
    String host = serverPorts.containsKey(node.name()) ? "127.0.0.1" : node.host();
    int port = serverPorts.getOrDefault(node.name(), node.port());
    String keys = serverKeys.containsKey(node.name()) ? ", " + serverKeys.get(node.name()) : "";
    return "  - {name: " + node.name() + ", host: " + host + ", port: " + port + keys + "}\n";
  }
}
