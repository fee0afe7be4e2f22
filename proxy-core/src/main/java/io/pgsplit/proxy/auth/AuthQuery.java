package io.pgsplit.proxy.auth;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.channel.EventLoop;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.proxy.backend.BackendConnector;
import io.pgsplit.proxy.config.AuthQueryConfig;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * PgBouncer's auth_query: the secret of a user who is not in {@code users} is read from the primary, on a connection
 * of its own, as the configured auth user. Lookups of one user at a time share one query; results are cached for
 * {@code cache} and dropped at once when a login with them fails. The connection starts with
 * {@code search_path=pg_catalog, pg_temp}, which outranks any ALTER ROLE/DATABASE setting, so an unqualified
 * {@code pg_shadow} always means the catalog's and never a look-alike placed earlier in someone's search_path.
 */
public final class AuthQuery implements SecretLookup {
    private static final String LOCKED_SEARCH_PATH = "pg_catalog, pg_temp";

    private final AuthQueryConfig config;
    private final Supplier<BackendConnector> connector;
    private final Supplier<Optional<ServerAddress>> primary;
    private final ServerLogins logins;
    private final Duration timeout;
    private final Executor slowWork;
    private final SecureRandom random = new SecureRandom();
    private final AsyncCache<String, Optional<UserSecret>> cache;

    /**
     * @param timeout  bounds each lookup, connection included
     * @param slowWork where looked-up secrets are read (a plain-text one costs a key derivation)
     */
    public AuthQuery(AuthQueryConfig config, Supplier<BackendConnector> connector, Supplier<Optional<ServerAddress>> primary,
                     ServerLogins logins, Duration timeout, Executor slowWork) {
        this.config = config;
        this.connector = connector;
        this.primary = primary;
        this.logins = logins;
        this.timeout = timeout;
        this.slowWork = slowWork;
        this.cache = Caffeine.newBuilder().expireAfterWrite(config.cache()).maximumSize(10_000).buildAsync();
    }

    @Override
    public CompletableFuture<Optional<UserSecret>> secretOf(String user, String database, EventLoop loop) {
        // Failed lookups are not cached: Caffeine drops a future that completes exceptionally.
        return cache.get(user, (name, executor) -> lookUp(name, database, loop));
    }

    @Override
    public void forget(String user) {
        cache.synchronous().invalidate(user);
    }

    private CompletableFuture<Optional<UserSecret>> lookUp(String user, String database, EventLoop loop) {
        Optional<ServerAddress> server = primary.get();
        if (server.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException("no primary is known to run it on"));
        }
        ServerAddress target = server.get();
        Map<String, String> startup = Map.of("user", config.user(), "database", database,
                "search_path", LOCKED_SEARCH_PATH, "application_name", "pgsplit-auth-query");
        ServerLogin login = logins.forUser(config.user(), config.password().map(UserSecret::stored));
        return connector.get().connect(loop, target.name(), target.host(), target.port(), startup, config.user(), login)
                .thenCompose(connection -> AuthQueryConnection.run(connection, config.query(), user, timeout))
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(
                        failure instanceof TimeoutException || failure.getCause() instanceof TimeoutException
                                ? new TimeoutException("no answer from " + target.name() + " within " + timeout.toMillis() + " ms")
                                : failure))
                .thenApplyAsync(secret -> secret.filter(value -> !value.isEmpty()).map(value -> UserSecret.of(value, random)),
                        slowWork);
    }
}
