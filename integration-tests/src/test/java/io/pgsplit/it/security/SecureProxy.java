package io.pgsplit.it.security;

import io.pgsplit.cluster.PgNode;
import io.pgsplit.proxy.PgSplitServer;
import io.pgsplit.proxy.config.ConfigException;
import io.pgsplit.proxy.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * A pgsplit in front of {@link TlsServers}, configured from a YAML file (so a test can edit it and reload), always with
 * server_tls verify-full against the servers' CA and their tls_name, plus whatever sections a test adds.
 */
final class SecureProxy implements AutoCloseable {
    private static final List<String> TIMEOUTS = List.of("connectTimeout=5", "loginTimeout=10", "socketTimeout=30");

    final Path configFile;
    final PgSplitServer server;

    private SecureProxy(Path configFile, PgSplitServer server) {
        this.configFile = configFile;
        this.server = server;
    }

    /** {@code sections}: top-level YAML (users, client_tls, hba, auth_query…); users defaults to app/app. */
    static SecureProxy start(TlsServers servers, String sections) {
        return start(yaml(servers, sections, true));
    }

    /** Servers listed by address alone: verify-full then checks 127.0.0.1 against their certificate. */
    static SecureProxy startWithoutTlsNames(TlsServers servers, String sections) {
        return start(yaml(servers, sections, false));
    }

    private static SecureProxy start(String yaml) {
        Path file = write(Path.of("target", "pki").toAbsolutePath().resolve("pgsplit-" + System.nanoTime() + ".yaml"), yaml);
        try {
            return new SecureProxy(file, PgSplitServer.start(ConfigLoader.load(file)));
        } catch (ConfigException e) {
            throw new IllegalStateException("invalid test configuration:\n" + yaml, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String yaml(TlsServers servers, String sections, boolean tlsNames) {
        StringBuilder yaml = new StringBuilder("listen: 127.0.0.1:0\nservers:\n");
        for (PgNode node : servers.cluster.nodes()) {
            yaml.append("  - {name: ").append(node.name()).append(", host: ").append(node.host()).append(", port: ")
                    .append(node.port()).append(tlsNames ? ", tls_name: " + TestPki.SERVER_TLS_NAME : "").append("}\n");
        }
        if (!sections.contains("users:")) {
            yaml.append("users:\n  - {name: app, password: app}\n");
        }
        if (!sections.contains("server_tls:")) {
            yaml.append("server_tls: {mode: verify-full, ca_file: ").append(servers.pki.file("pg-ca.crt")).append("}\n");
        }
        yaml.append("health: {interval: 200ms, timeout: 2s, user: app, password: app}\n");
        yaml.append("consistency: eventual\n");
        return yaml.append(sections).toString();
    }

    /** Rewrites the config file and reloads it as SIGHUP would; throws what a rejected reload logs. */
    void reload(TlsServers servers, String sections) throws ConfigException {
        write(configFile, yaml(servers, sections, true));
        server.reload(ConfigLoader.load(configFile));
    }

    InetSocketAddress address() {
        return server.listenAddress();
    }

    String jdbcUrl(String... parameters) {
        List<String> all = new ArrayList<>(TIMEOUTS);
        all.addAll(Arrays.asList(parameters));
        return "jdbc:postgresql://127.0.0.1:" + address().getPort() + "/app?" + String.join("&", all);
    }

    Connection connect(String user, String password, String... parameters) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(jdbcUrl(parameters), properties);
    }

    static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
