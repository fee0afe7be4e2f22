package io.pgsplit.it.operations;

import io.pgsplit.cluster.PgNode;
import io.pgsplit.proxy.config.ConfigException;
import io.pgsplit.proxy.config.ConfigLoader;
import io.pgsplit.proxy.config.PgSplitConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The YAML file an operator would give a pgsplit in front of some nodes of a cluster: those servers, the app user,
 * and health probes every 200 ms, so a server that joins is trusted after two probes.
 */
final class ProxyConfigYaml {
  private final List<PgNode> servers;
  private final String user;
  private final String password;
  private final Map<String, String> healthSettings = new LinkedHashMap<>();
  private String listen = "127.0.0.1:0";
  private Optional<String> shutdownTimeout = Optional.empty();
  private Optional<Integer> adminPort = Optional.empty();

  ProxyConfigYaml(List<PgNode> servers, String user, String password) {
    this.servers = List.copyOf(servers);
    this.user = user;
    this.password = password;
    healthSettings.put("interval", "200ms");
    healthSettings.put("timeout", "1s");
  }

  ProxyConfigYaml listenOn(int port) {
    this.listen = "127.0.0.1:" + port;
    return this;
  }

  /** The admin HTTP listener on 127.0.0.1:{@code port}. */
  ProxyConfigYaml adminOn(int port) {
    this.adminPort = Optional.of(port);
    return this;
  }

  /** A duration such as {@code 5s}. */
  ProxyConfigYaml shutdownTimeout(String duration) {
    this.shutdownTimeout = Optional.of(duration);
    return this;
  }

  /** One more key of the health section; a misspelt one makes the whole file invalid. */
  ProxyConfigYaml healthSetting(String key, String value) {
    healthSettings.put(key, value);
    return this;
  }

  String render() {
    StringBuilder yaml = new StringBuilder("listen: ").append(listen).append('\n');
    adminPort.ifPresent(port -> yaml.append("admin: 127.0.0.1:").append(port).append('\n'));
    yaml.append("servers:\n");
    for (PgNode server : servers) {
      yaml.append("  - {name: ").append(server.name()).append(", host: ").append(server.host())
          .append(", port: ").append(server.port()).append("}\n");
    }
    yaml.append("users:\n  - {name: ").append(user).append(", password: ").append(password).append("}\n");
    yaml.append("health:\n");
    healthSettings.forEach((key, value) -> yaml.append("  ").append(key).append(": ").append(value).append('\n'));
    shutdownTimeout.ifPresent(timeout -> yaml.append("shutdown_timeout: ").append(timeout).append('\n'));
    return yaml.toString();
  }

  PgSplitConfig parse() throws ConfigException {
    return ConfigLoader.parse(render(), "pgsplit.yaml");
  }

  /** Replaces the file's content in place, as an editor saving it does. */
  void writeTo(Path file) {
    try {
      Files.writeString(file, render());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + file, e);
    }
  }
}
