package io.pgsplit.proxy.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code auth_query}: users not in {@code users} are looked up on the primary, as PgBouncer's auth_query does.
 *
 * @param password the auth user's password: plain text, an md5 hash (for md5 servers) or a SCRAM verifier (usable once
 *                 that user has logged in through pgsplit); empty when the servers trust it (client certificate)
 * @param cache    how long a looked-up secret is reused; a failed login drops it at once
 */
public record AuthQueryConfig(String user, Optional<String> password, String query, Duration cache) {
    public static final String DEFAULT_QUERY = "SELECT usename, passwd FROM pg_shadow WHERE usename = $1";

    public AuthQueryConfig {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(cache, "cache");
    }

    @Override
    public String toString() {
        return "AuthQueryConfig[user=" + user + ", password=***, query=" + query + ", cache=" + cache + "]";
    }
}
