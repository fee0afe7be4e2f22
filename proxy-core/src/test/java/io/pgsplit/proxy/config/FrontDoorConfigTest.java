package io.pgsplit.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The front-door keys: limits.login_timeout, client_idle_timeout, max_pending_logins, reserved_connections, users[].admin. */
class FrontDoorConfigTest {
    private static final String BASE = """
            listen: 127.0.0.1:6432
            servers:
              - { name: pg1, host: 127.0.0.1, port: 55432 }
            """;
    private static final String USERS = "users:\n  - { name: app, password: secret }\n";
    private static final String USERS_WITH_ADMIN = USERS + "  - { name: ops, password: secret2, admin: true }\n";

    private static PgSplitConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(BASE + yaml, "test.yaml", Map.of());
    }

    @Test
    void defaultsAreTenSecondsToLogInNoIdleTimeoutAHundredPendingLoginsAndNoReserve() throws Exception {
        LimitsConfig limits = parse(USERS).limits();

        assertThat(limits.loginTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(limits.clientIdleTimeout()).isEmpty();
        assertThat(limits.maxPendingLogins()).isEqualTo(100);
        assertThat(limits.reservedConnections()).isZero();
    }

    @Test
    void readsEveryKey() throws Exception {
        LimitsConfig limits = parse(USERS_WITH_ADMIN + """
                limits:
                  max_client_connections: 50
                  login_timeout: 3s
                  client_idle_timeout: 15m
                  max_pending_logins: 20
                  reserved_connections: 5
                """).limits();

        assertThat(limits).isEqualTo(new LimitsConfig(64 << 20, 50, Duration.ofSeconds(5), Duration.ofSeconds(3),
                Optional.of(Duration.ofMinutes(15)), 20, 5));
    }

    @Test
    void aZeroClientIdleTimeoutIsOffAsInPgBouncer() throws Exception {
        assertThat(parse(USERS + "limits: { client_idle_timeout: 0 }").limits().clientIdleTimeout()).isEmpty();
    }

    @Test
    void anAdminUserGetsThreeReservedSlotsByDefaultAsPostgresqlSuperusersDo() throws Exception {
        PgSplitConfig config = parse(USERS_WITH_ADMIN);

        assertThat(config.limits().reservedConnections()).isEqualTo(3);
        assertThat(config.user("ops")).map(UserConfig::admin).contains(true);
        assertThat(config.user("app")).map(UserConfig::admin).contains(false);
    }

    @Test
    void theDefaultReserveLeavesAtLeastOneSlotForEveryoneElse() throws Exception {
        assertThat(parse(USERS_WITH_ADMIN + "limits: { max_client_connections: 2 }").limits().reservedConnections()).isEqualTo(1);
    }

    @Test
    void rejectsReservingSlotsWithoutAnAdminUser() {
        assertThatThrownBy(() -> parse(USERS + "limits: { reserved_connections: 2 }"))
                .hasMessageStartingWith("limits.reserved_connections: reserves slots for admin users, but no user has admin: true");
    }

    @Test
    void rejectsReservingEverySlot() {
        assertThatThrownBy(() -> parse(USERS_WITH_ADMIN + "limits: { max_client_connections: 5, reserved_connections: 5 }"))
                .hasMessageStartingWith("limits.reserved_connections: must be less than max_client_connections (5)");
    }

    @Test
    void rejectsALoginTimeoutOfZeroOrBeyondTenMinutes() {
        assertThatThrownBy(() -> parse(USERS + "limits: { login_timeout: 0 }"))
                .hasMessageStartingWith("limits.login_timeout: must be greater than 0 and at most 10m");
        assertThatThrownBy(() -> parse(USERS + "limits: { login_timeout: 11m }"))
                .hasMessageStartingWith("limits.login_timeout: must be greater than 0 and at most 10m");
    }

    @Test
    void rejectsAPendingLoginLimitBelowOne() {
        assertThatThrownBy(() -> parse(USERS + "limits: { max_pending_logins: 0 }"))
                .hasMessageStartingWith("limits.max_pending_logins: must be between 1 and 1000000");
    }

    @Test
    void rejectsAnAdminFlagThatIsNotABoolean() {
        assertThatThrownBy(() -> parse("users:\n  - { name: ops, password: secret, admin: sometimes }\n"))
                .hasMessageStartingWith("users[0].admin: must be true or false (got 'sometimes')");
    }

    @Test
    void rejectsAScramVerifierWhoseIterationCountOverflows() {
        String overflowing = ScramVerifiers.EXAMPLE.replace("$4096:", "$4294967296:");

        assertThatThrownBy(() -> parse("users:\n  - { name: app, password: \"" + overflowing + "\" }\n"))
                .hasMessageStartingWith("users[0].password: SCRAM-SHA-256 verifier iteration count is out of range");
    }

    @Test
    void rejectsAScramVerifierWithZeroIterations() {
        String zero = ScramVerifiers.EXAMPLE.replace("$4096:", "$0:");

        assertThatThrownBy(() -> parse("users:\n  - { name: app, password: \"" + zero + "\" }\n"))
                .hasMessageStartingWith("users[0].password: SCRAM-SHA-256 verifier has an invalid iteration count");
    }
}
