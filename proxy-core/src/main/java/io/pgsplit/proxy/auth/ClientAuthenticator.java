package io.pgsplit.proxy.auth;

import io.netty.channel.EventLoop;
import io.pgsplit.protocol.SqlState;
import io.pgsplit.proxy.config.AuthMethod;
import io.pgsplit.proxy.config.AuthType;
import io.pgsplit.proxy.config.HbaRule;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Decides how a client authenticates: the first matching {@code hba} rule picks the method (without rules,
 * {@code auth_type} does, for everyone), and the user's secret comes from {@code users} or from auth_query. One
 * instance per configuration; safe from any event loop.
 */
public final class ClientAuthenticator {
    private final AuthType authType;
    private final List<HbaRule> hba;
    private final ClientAuthExchanges exchanges;
    private final ServerLogins logins;
    private final SecretLookup lookup; // null without auth_query

    public ClientAuthenticator(AuthType authType, List<HbaRule> hba, ClientAuthExchanges exchanges, ServerLogins logins,
                               SecretLookup lookup) {
        this.authType = authType;
        this.hba = List.copyOf(hba);
        this.exchanges = exchanges;
        this.logins = logins;
        this.lookup = lookup;
    }

    /** Completes at once, except while auth_query looks the user up (never on the caller's thread's time). */
    public CompletableFuture<AuthDecision> begin(LoginAttempt attempt, EventLoop loop) {
        AuthMethod method = authType.method();
        if (!hba.isEmpty()) {
            Optional<HbaRule> rule = hba.stream()
                    .filter(candidate -> candidate.matches(attempt.tls(), attempt.database(), attempt.user(), attempt.client()))
                    .findFirst();
            if (rule.isEmpty()) {
                return refuse("no pg_hba.conf entry for " + attempt.describe());
            }
            method = rule.get().method();
        }
        return switch (method) {
            case REJECT -> refuse("pg_hba.conf rejects connection for " + attempt.describe());
            case CERT -> CompletableFuture.completedFuture(certificate(attempt));
            case TRUST -> CompletableFuture.completedFuture(new AuthDecision.Accept(loginFor(attempt.user())));
            case SCRAM_SHA_256, MD5, PASSWORD -> exchange(method, attempt, loop);
        };
    }

    private CompletableFuture<AuthDecision> exchange(AuthMethod method, LoginAttempt attempt, EventLoop loop) {
        Optional<UserSecret> configured = exchanges.configured(attempt.user());
        if (configured.isPresent() || lookup == null) {
            return CompletableFuture.completedFuture(exchangeFor(method, attempt, configured, () -> { }));
        }
        return lookup.secretOf(attempt.user(), attempt.database(), loop).handle((secret, failure) -> failure == null
                ? exchangeFor(method, attempt, secret, () -> lookup.forget(attempt.user()))
                : new AuthDecision.Refuse(SqlState.CONNECTION_FAILURE, "pgsplit could not look up user \"" + attempt.user()
                        + "\" with auth_query: " + rootMessage(failure)));
    }

    private AuthDecision exchangeFor(AuthMethod method, LoginAttempt attempt, Optional<UserSecret> secret, Runnable onFailure) {
        ClientAuthExchange exchange = exchanges.forUser(method, attempt.user(), secret, attempt.binding());
        return new AuthDecision.Exchange(new RememberingExchange(exchange, attempt.user(), secret.orElse(null), logins, onFailure));
    }

    /** PostgreSQL's cert method: a verified client certificate whose common name is the user name. */
    private AuthDecision certificate(LoginAttempt attempt) {
        if (attempt.certificateName() == null) {
            return new AuthDecision.Refuse(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "connection requires a valid client certificate");
        }
        if (!attempt.certificateName().equals(attempt.user())) {
            return new AuthDecision.Refuse(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "certificate authentication failed for user \"" + attempt.user() + "\"");
        }
        return new AuthDecision.Accept(loginFor(attempt.user()));
    }

    private ServerLogin loginFor(String user) {
        return logins.forUser(user, exchanges.configured(user));
    }

    private static CompletableFuture<AuthDecision> refuse(String message) {
        return CompletableFuture.completedFuture(new AuthDecision.Refuse(SqlState.INVALID_AUTHORIZATION_SPECIFICATION, message));
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
