package io.pgsplit.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.pgsplit.proxy.config.AuthMethod;
import io.pgsplit.proxy.config.AuthType;
import io.pgsplit.proxy.config.Cidr;
import io.pgsplit.proxy.config.HbaRule;
import io.pgsplit.proxy.config.UserConfig;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ClientAuthenticatorTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final ClientAuthExchanges exchanges = new ClientAuthExchanges(List.of(new UserConfig("app", "secret")), Runnable::run);
    private final ServerLogins logins = new ServerLogins();

    private ClientAuthenticator with(List<HbaRule> hba, SecretLookup lookup) {
        return new ClientAuthenticator(AuthType.SCRAM_SHA_256, hba, exchanges, logins, lookup);
    }

    private static HbaRule rule(HbaRule.ConnectionType type, String user, AuthMethod method) {
        return new HbaRule(type, Set.of(), user.equals("all") ? Set.of() : Set.of(user), Cidr.parse("127.0.0.0/8"), method);
    }

    private static LoginAttempt attempt(String user, boolean tls, String certificateName) {
        return new LoginAttempt(user, "app", LOOPBACK, tls, null, certificateName);
    }

    private static AuthDecision decide(ClientAuthenticator authenticator, LoginAttempt attempt) {
        return authenticator.begin(attempt, (EventLoop) null).join();
    }

    @Test
    void withoutHbaEveryClientRunsTheConfiguredExchange() {
        assertThat(decide(with(List.of(), null), attempt("app", false, null))).isInstanceOf(AuthDecision.Exchange.class);
    }

    @Test
    void theFirstMatchingRuleDecidesAndRejectIsFinal() {
        ClientAuthenticator authenticator = with(List.of(
                rule(HbaRule.ConnectionType.HOST, "intruder", AuthMethod.REJECT),
                rule(HbaRule.ConnectionType.HOST, "all", AuthMethod.SCRAM_SHA_256)), null);

        assertThat(decide(authenticator, attempt("app", false, null))).isInstanceOf(AuthDecision.Exchange.class);
        assertThat(decide(authenticator, attempt("intruder", false, null))).isEqualTo(new AuthDecision.Refuse("28000",
                "pg_hba.conf rejects connection for host \"127.0.0.1\", user \"intruder\", database \"app\", no encryption"));
    }

    @Test
    void aClientNoRuleMatchesGetsNoPgHbaEntry() {
        ClientAuthenticator authenticator = with(List.of(rule(HbaRule.ConnectionType.HOSTNOSSL, "all", AuthMethod.MD5)), null);

        assertThat(decide(authenticator, attempt("app", true, null))).isEqualTo(new AuthDecision.Refuse("28000",
                "no pg_hba.conf entry for host \"127.0.0.1\", user \"app\", database \"app\", SSL encryption"));
    }

    @Test
    void certNeedsAVerifiedCertificateNamingTheUser() {
        ClientAuthenticator authenticator = with(List.of(rule(HbaRule.ConnectionType.HOSTSSL, "all", AuthMethod.CERT)), null);

        assertThat(decide(authenticator, attempt("app", true, "app")))
                .isEqualTo(new AuthDecision.Accept(new ServerLogin.Password("secret")));
        assertThat(decide(authenticator, attempt("app", true, "someone-else")))
                .isEqualTo(new AuthDecision.Refuse("28000", "certificate authentication failed for user \"app\""));
        assertThat(decide(authenticator, attempt("app", true, null)))
                .isEqualTo(new AuthDecision.Refuse("28000", "connection requires a valid client certificate"));
    }

    @Test
    void aLookupThatFailsIsRefusedWith08006AndOneThatFindsNothingRunsTheMockExchange() {
        SecretLookup failing = new SecretLookup() {
            @Override
            public CompletableFuture<Optional<UserSecret>> secretOf(String user, String database, EventLoop loop) {
                return CompletableFuture.failedFuture(new TimeoutException("no answer from pg1 within 5000 ms"));
            }

            @Override
            public void forget(String user) {
            }
        };
        assertThat(decide(with(List.of(), failing), attempt("stranger", false, null))).isEqualTo(new AuthDecision.Refuse("08006",
                "pgsplit could not look up user \"stranger\" with auth_query: no answer from pg1 within 5000 ms"));

        SecretLookup empty = new SecretLookup() {
            @Override
            public CompletableFuture<Optional<UserSecret>> secretOf(String user, String database, EventLoop loop) {
                return CompletableFuture.completedFuture(Optional.empty());
            }

            @Override
            public void forget(String user) {
            }
        };
        assertThat(decide(with(List.of(), empty), attempt("stranger", false, null))).isInstanceOf(AuthDecision.Exchange.class);
    }

    @Test
    void aConfiguredUserNeverTriggersALookup() {
        SecretLookup mustNotRun = new SecretLookup() {
            @Override
            public CompletableFuture<Optional<UserSecret>> secretOf(String user, String database, EventLoop loop) {
                throw new AssertionError("looked up a configured user");
            }

            @Override
            public void forget(String user) {
            }
        };
        assertThat(decide(with(List.of(), mustNotRun), attempt("app", false, null))).isInstanceOf(AuthDecision.Exchange.class);
    }
}
