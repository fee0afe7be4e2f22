package io.pgsplit.proxy.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Reads {@code servers}: each backend once, by a name that is safe to use in logs and metric tags. */
final class ServersSection {
    private static final Set<String> KEYS = Set.of("name", "host", "port", "tls_name", "weight");
    private static final int DEFAULT_PORT = 5432;
    private static final Function<String, String> SERVER_NAME = Scalars.requiring(Function.identity(),
            name -> Pattern.matches("[A-Za-z0-9_.-]+", name), "must contain only letters, digits, '_', '-' and '.'");

    private ServersSection() {
    }

    static List<ServerConfig> read(ConfigNode servers) throws ConfigException {
        List<ConfigNode> entries = servers.elements();
        if (entries.isEmpty()) {
            throw servers.error("must list at least one server");
        }
        Set<String> names = new HashSet<>();
        Map<String, String> entryByAddress = new HashMap<>();
        List<ServerConfig> result = new ArrayList<>(entries.size());
        for (ConfigNode entry : entries) {
            entry.requireMapping(KEYS);
            ServerConfig server = new ServerConfig(
                    entry.get("name").as(SERVER_NAME),
                    entry.get("host").as(Scalars::nonEmpty).trim(),
                    entry.get("port").asOr(Scalars.integerBetween(1, 65535), DEFAULT_PORT),
                    entry.get("tls_name").asOptional(Scalars::nonEmpty).map(String::trim),
                    entry.get("weight").asOr(Scalars.integerBetween(0, 1_000_000), ServerConfig.DEFAULT_WEIGHT));
            if (!names.add(server.name())) {
                throw entry.get("name").error("duplicate server name '" + server.name() + "'");
            }
            String address = server.host().toLowerCase(Locale.ROOT) + ":" + server.port();
            String earlier = entryByAddress.putIfAbsent(address, entry.path());
            if (earlier != null) {
                throw entry.error("has the same host and port as " + earlier);
            }
            result.add(server);
        }
        return result;
    }
}
