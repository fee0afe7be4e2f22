package io.pgsplit.proxy.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ParameterStatus values servers report to a (user, database) login, as the last pooled
 * connection opened for it reported them (pooled connections start with user and database only, so
 * their values are the servers' own). With them a client logs in without any server connection, as
 * with PgBouncer: only the first client of a (user, database), or one of a database no server has
 * accepted yet, waits for a server to report them (and gets its real error when it refuses).
 */
public final class ServerParameters {
    private record Login(String user, String database) {
    }

    private final Cache<Login, Map<String, String>> byLogin = Caffeine.newBuilder().maximumSize(1_000)
            .executor(Runnable::run).build();

    /** The values to report to a new client of {@code user} on {@code database}, or null when none are known yet. */
    public Map<String, String> known(String user, String database) {
        return byLogin.getIfPresent(new Login(user, database));
    }

    /** A pooled connection for {@code user} on {@code database} reported these at its startup. */
    public void learnt(String user, String database, Map<String, String> parameters) {
        byLogin.put(new Login(user, database), Collections.unmodifiableMap(new LinkedHashMap<>(parameters)));
    }
}
