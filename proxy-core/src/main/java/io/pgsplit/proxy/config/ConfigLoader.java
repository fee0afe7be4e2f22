package io.pgsplit.proxy.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loads and validates the YAML configuration. Strict by design: an unknown or misspelt key is an error rather
 * than a silently ignored setting, and every error names the key path it concerns.
 */
public final class ConfigLoader {
    private static final Set<String> TOP_LEVEL_KEYS = Set.of(
            "listen", "admin", "auth_type", "servers", "users", "health", "routing", "limits", "pool", "consistency",
            "shutdown_timeout", "pool_mode", "client_tls", "server_tls", "auth_query", "hba",
            "transport", "io_threads");
    private static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    private ConfigLoader() {
    }

    /** Loads a file, expanding {@code ${NAME}} references from the process environment. */
    public static PgSplitConfig load(Path file) throws ConfigException {
        String source = file.toString();
        try {
            return parse(Files.readString(file), source);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, "file not found");
        } catch (CharacterCodingException e) {
            throw new ConfigException(source, "is not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(source, "cannot be read: " + e.getMessage());
        }
    }

    /** The same port on the same host, or on a wildcard address, which takes the port on every host. Port 0 picks a free one. */
    private static boolean clashes(HostPort admin, HostPort listen) {
        return admin.port() != 0 && admin.port() == listen.port()
                && (admin.host().equals(listen.host()) || isWildcard(admin.host()) || isWildcard(listen.host()));
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("*") || host.isEmpty();
    }

    public static PgSplitConfig parse(String yaml, String sourceName) throws ConfigException {
        return parse(yaml, sourceName, System.getenv());
    }

    /** @param environment the variables {@code ${NAME}} references expand from */
    public static PgSplitConfig parse(String yaml, String sourceName, Map<String, String> environment)
            throws ConfigException {
        Optional<JsonNode> tree = YamlTreeReader.read(yaml, sourceName);
        if (tree.isEmpty() || tree.get().isNull()) {
            throw new ConfigException(sourceName, "is empty");
        }
        if (!tree.get().isObject()) {
            throw new ConfigException(sourceName, "must be a YAML mapping of settings");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        ConfigNode root = ConfigNode.root(tree.get(), new EnvironmentSubstitution(environment))
                .requireMapping(TOP_LEVEL_KEYS);

        HostPort listen = root.get("listen").as(HostPort::parse);
        Optional<HostPort> admin = root.get("admin").asOptional(HostPort::parse);
        if (admin.isPresent() && clashes(admin.get(), listen)) {
            throw new ConfigException("admin", "must not be the address clients connect to (listen: " + listen
                    + "): the admin HTTP listener needs an address of its own");
        }
        AuthType authType = root.get("auth_type").asOr(AuthType::fromConfigName, AuthType.SCRAM_SHA_256);
        List<ServerConfig> servers = ServersSection.read(root.get("servers"));
        List<UserConfig> users = UsersSection.read(root.get("users"));
        ServerTlsConfig serverTls = TlsSections.readServer(root.get("server_tls"));
        return new PgSplitConfig(listen, admin, authType, servers, users,
                HealthSection.read(root.get("health"), users, serverTls.identity().isPresent()),
                RoutingSection.read(root.get("routing")),
                LimitsSection.read(root.get("limits"), users),
                PoolSection.read(root.get("pool"), root.get("pool_mode")),
                ConsistencySection.read(root.get("consistency")),
                root.get("shutdown_timeout").asOr(Scalars.positiveDuration(), DEFAULT_SHUTDOWN_TIMEOUT),
                new SecuritySettings(TlsSections.readClient(root.get("client_tls")), serverTls,
                        AuthQuerySection.read(root.get("auth_query")), HbaSection.read(root.get("hba")),
                        TlsSections.files(root.get("client_tls"), root.get("server_tls"))),
                root.get("transport").asOr(TransportChoice::fromConfigName, TransportChoice.AUTO),
                root.get("io_threads").asOr(text -> IoThreads.fromConfig(text, cores), IoThreads.auto(cores)));
    }
}
