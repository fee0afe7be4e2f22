package io.pgsplit.proxy.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Reads {@code auth_query}; absent means users not in {@code users} cannot log in. */
final class AuthQuerySection {
    private static final Set<String> KEYS = Set.of("user", "password", "query", "cache");

    private AuthQuerySection() {
    }

    static Optional<AuthQueryConfig> read(ConfigNode authQuery) throws ConfigException {
        authQuery.requireMapping(KEYS);
        if (!authQuery.isPresent()) {
            return Optional.empty();
        }
        String query = authQuery.get("query").asOr(Scalars::nonEmpty, AuthQueryConfig.DEFAULT_QUERY);
        if (!query.contains("$1")) {
            throw authQuery.get("query").error("must take the user name as $1");
        }
        return Optional.of(new AuthQueryConfig(
                authQuery.get("user").as(Scalars::nonEmpty),
                authQuery.get("password").asOptional(Scalars::nonEmpty),
                query,
                authQuery.get("cache").asOr(Scalars::duration, Duration.ofSeconds(60))));
    }
}
