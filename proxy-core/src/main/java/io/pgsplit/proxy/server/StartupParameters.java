package io.pgsplit.proxy.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A client's startup parameters sorted into what the servers get (user, database, options,
 * application_name, DateStyle, TimeZone …, in the client's order), protocol extensions
 * ({@code _pq_.*}, which pgsplit does not support and reports back), and the replication flag.
 */
record StartupParameters(Map<String, String> all, List<String> protocolExtensions, boolean isReplication) {
    private static final Set<String> REPLICATION_OFF = Set.of("false", "off", "no", "0");

    static StartupParameters of(Map<String, String> parameters) {
        List<String> extensions = new ArrayList<>();
        for (String name : parameters.keySet()) {
            if (name.startsWith("_pq_.")) {
                extensions.add(name);
            }
        }
        String replication = parameters.get("replication");
        boolean isReplication = replication != null && !REPLICATION_OFF.contains(replication.toLowerCase(Locale.ROOT));
        return new StartupParameters(parameters, List.copyOf(extensions), isReplication);
    }

    /** What every server connection of this client starts with; the database defaults to the user name. */
    Map<String, String> forServers(String user) {
        Map<String, String> forServers = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : all.entrySet()) {
            String name = entry.getKey();
            if (!name.startsWith("_pq_.") && !name.equals("replication")) {
                forServers.put(name, entry.getValue());
            }
        }
        forServers.putIfAbsent("database", user);
        return Collections.unmodifiableMap(forServers);
    }
}
