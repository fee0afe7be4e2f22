package io.pgsplit.proxy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsplit.cluster.LocalPgCluster;
import io.pgsplit.cluster.PgNode;
import io.pgsplit.proxy.PgSplitServer;
import io.pgsplit.proxy.config.ConfigException;
import io.pgsplit.proxy.config.ConfigLoader;
import io.pgsplit.proxy.config.PgSplitConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * A local primary with streaming replicas, a demo table, and the proxy in front of them on 127.0.0.1: what
 * {@code pgsplit demo} runs, packaged so integration tests can drive it too. Closing it stops the proxy, then the
 * cluster, whose temporary directory is removed.
 */
public final class DemoEnvironment implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    public static final String DEMO_TABLE = DemoSchema.TABLE;
    private static final Logger log = LoggerFactory.getLogger(DemoEnvironment.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String APP_USER = "app";
    private static final int DEMO_MAX_CLIENTS = 190;

    private final LocalPgCluster cluster;
    private final PgSplitConfig config;
    private final PgSplitServer server;

    private DemoEnvironment(LocalPgCluster cluster, PgSplitConfig config, PgSplitServer server) {
        this.cluster = cluster;
        this.config = config;
        this.server = server;
    }

    /**
     * @param proxyPort 0 lets the OS choose; see {@link #proxyAddress()}
     * @param adminPort the admin HTTP listener's port, if any
     */
    public static DemoEnvironment start(int replicas, int proxyPort, OptionalInt adminPort) throws Exception {
        log.info("Starting a PostgreSQL primary and {} streaming replicas", replicas);
        // Passwords nobody can guess: any local user can reach the servers' and the proxy's loopback ports.
        LocalPgCluster cluster = LocalPgCluster.builder().replicas(replicas)
                .superuserPassword(randomPassword())
                .appUser(APP_USER, randomPassword())
                .start();
        try {
            log.info("Cluster running in {}: {}", cluster.baseDirectory(), cluster.nodes());
            DemoSchema.create(cluster);
            log.info("Created table {} in database {}", DEMO_TABLE, LocalPgCluster.APP_DATABASE);
            PgSplitConfig config = ConfigLoader.parse(configYaml(cluster, proxyPort, adminPort), "demo", Map.of());
            PgSplitServer server = PgSplitServer.start(config);
            log.info("Proxy listening on {}", server.listenAddress());
            return new DemoEnvironment(cluster, config, server);
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** 128 random bits in base64url: nothing a URI or a JDBC URL would need to escape. */
    private static String randomPassword() {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    /** Goes through {@link ConfigLoader} so the demo gets exactly the defaults a config file would. */
    private static String configYaml(LocalPgCluster cluster, int proxyPort, OptionalInt adminPort) {
        StringBuilder yaml = new StringBuilder()
                .append("listen: ").append(HOST).append(':').append(proxyPort).append('\n');
        adminPort.ifPresent(port -> yaml.append("admin: ").append(HOST).append(':').append(port).append('\n'));
        yaml.append("servers:\n");
        for (PgNode node : cluster.nodes()) {
            yaml.append("  - { name: ").append(node.name()).append(", host: ").append(node.host())
                    .append(", port: ").append(node.port()).append(" }\n");
        }
        return yaml.append("users:\n")
                .append("  - { name: ").append(quoted(cluster.appUser()))
                .append(", password: ").append(quoted(cluster.appPassword())).append(" }\n")
                .append("health:\n  interval: 500ms\n")
                // In session mode a client that writes holds a primary connection of its own: the demo's servers
                // allow 200 (3 reserved for superusers, 2 for pgsplit's probe and catalog reader), so the demo
                // admits no more clients than they can carry, and the start-up check has nothing to warn about.
                .append("limits:\n  max_client_connections: ").append(DEMO_MAX_CLIENTS).append('\n')
                .toString();
    }

    /** A JSON string is a valid double-quoted YAML scalar, whatever characters it holds. */
    private static String quoted(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string always serializes", e);
        }
    }

    public LocalPgCluster cluster() {
        return cluster;
    }

    public PgSplitConfig config() {
        return config;
    }

    public InetSocketAddress proxyAddress() {
        return server.listenAddress();
    }

    /** A libpq connection URI for psql through the proxy. */
    public String psqlUrl() {
        return "postgresql://" + cluster.appUser() + ":" + cluster.appPassword() + "@" + HOST + ":"
                + proxyAddress().getPort() + "/" + LocalPgCluster.APP_DATABASE;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + proxyAddress().getPort() + "/" + LocalPgCluster.APP_DATABASE
                + "?user=" + cluster.appUser() + "&password=" + cluster.appPassword();
    }

    /** One line per node, e.g. {@code pg2 127.0.0.1:55433 (replica)}. */
    String describeNodes() {
        return cluster.nodes().stream()
                .map(node -> node.name() + " " + node.host() + ":" + node.port()
                        + (node.equals(cluster.primary()) ? " (primary)" : " (replica)"))
                .collect(Collectors.joining("\n"));
    }

    @Override
    public void close() {
        log.info("Stopping the proxy");
        try {
            server.close();
        } finally {
            log.info("Stopping the cluster and removing {}", cluster.baseDirectory());
            cluster.close();
        }
    }
}
