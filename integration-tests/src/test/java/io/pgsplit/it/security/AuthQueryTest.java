package io.pgsplit.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsplit.cluster.PgNode;
import io.pgsplit.it.Replication;
import io.pgsplit.it.Sql;
import io.pgsplit.protocol.auth.ScramVerifiers;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Users that are not in the config, looked up on the primary with auth_query, as PgBouncer does. */
@ExtendWith(TlsServersExtension.class)
@Timeout(120)
class AuthQueryTest {
    private static TlsServers servers;

    @BeforeAll
    static void setUp(TlsServers shared) throws Exception {
        servers = shared;
        PgNode primary = servers.cluster.primary();
        // pg_shadow is for superusers; PgBouncer's docs suggest a SECURITY DEFINER function for production.
        createRole(primary, "pgsplit_auth", "auth-secret", "SUPERUSER");
        createRole(primary, "looked_up", "looked-up-secret", "");
        createRole(primary, "changes_password", "before", "");
        createRole(primary, "victim", "the-real-one", "");
        Replication.awaitReplicasCaughtUp(servers.cluster);
    }

    private static String authQuery(String password) {
        return "auth_query: {user: pgsplit_auth, password: \"" + password + "\", cache: 60s}\n";
    }

    @Test
    void aLookedUpUserLogsInAndReadsFromTheReplicas() throws Exception {
        try (SecureProxy proxy = SecureProxy.start(servers, authQuery("auth-secret"));
             Connection connection = proxy.connect("looked_up", "looked-up-secret")) {
            assertThat(PasswordlessLoginTest.portsServing(connection, "SELECT inet_server_port()", 40))
                    .containsAnyElementsOf(servers.cluster.replicas().stream().map(PgNode::port).toList());
            assertThatThrownBy(() -> proxy.connect("looked_up", "wrong").close())
                    .isInstanceOfSatisfying(SQLException.class, error -> assertThat(error.getSQLState()).isEqualTo("28P01"));
            assertThatThrownBy(() -> proxy.connect("no_such_role", "whatever").close())
                    .isInstanceOfSatisfying(SQLException.class, error -> assertThat(error.getSQLState()).isEqualTo("28P01"));
        }
    }

    @Test
    void aLookupThatFailsGivesTheClient08006AtOnce() {
        try (SecureProxy proxy = SecureProxy.start(servers, authQuery("not-the-auth-password"))) {
            assertThatThrownBy(() -> proxy.connect("looked_up", "looked-up-secret").close())
                    .isInstanceOfSatisfying(SQLException.class, error -> assertThat(error.getSQLState()).isEqualTo("08006"))
                    .hasMessageContaining("auth_query");
        }
    }

    @Test
    void aLookupThatTakesTooLongGivesTheClient08006InsteadOfAHang() {
        String slowQuery = "auth_query: {user: pgsplit_auth, password: auth-secret,"
                + " query: \"SELECT usename, passwd FROM pg_shadow, pg_sleep(30) WHERE usename = $1\"}\n"
                + "limits: {connect_timeout: 1s}\n";
        try (SecureProxy proxy = SecureProxy.start(servers, slowQuery)) {
            // pgjdbc's loginTimeout is 10 s: this error (not 08001 from pgjdbc) shows pgsplit's deadline fired first.
            assertThatThrownBy(() -> proxy.connect("looked_up", "looked-up-secret").close())
                    .isInstanceOfSatisfying(SQLException.class, error -> assertThat(error.getSQLState()).isEqualTo("08006"))
                    .hasMessageContaining("no answer from");
        }
    }

    @Test
    void aFailedLoginLooksTheUserUpAgainSoANewPasswordWorksAtOnce() throws Exception {
        try (SecureProxy proxy = SecureProxy.start(servers, authQuery("auth-secret"))) {
            proxy.connect("changes_password", "before").close(); // cached now
            Sql.superuserExecute(servers.cluster.primary(), "ALTER ROLE changes_password PASSWORD 'after'");
            Replication.awaitReplicasCaughtUp(servers.cluster);

            assertThatThrownBy(() -> proxy.connect("changes_password", "after").close())
                    .as("checked against the cached verifier")
                    .isInstanceOfSatisfying(SQLException.class, error -> assertThat(error.getSQLState()).isEqualTo("28P01"));
            try (Connection connection = proxy.connect("changes_password", "after")) {
                assertThat(connection.isValid(5)).isTrue();
            }
        }
    }

    @Test
    void aSearchPathSetForTheAuthUserCannotRedirectTheQuery() throws Exception {
        // An attacker with CREATE rights plants a pg_shadow look-alike that hands out a verifier they know, and a
        // search_path that puts it before the catalog. pgsplit's locked search_path must ignore both.
        String attackerVerifier = ScramVerifiers.create("attackers-password", new SecureRandom());
        PgNode primary = servers.cluster.primary();
        try (Connection connection = primary.connectAsSuperuser("app")) {
            Sql.execute(connection, "CREATE SCHEMA IF NOT EXISTS evil",
                    "CREATE OR REPLACE VIEW evil.pg_shadow AS SELECT 'victim'::name AS usename, '" + attackerVerifier + "'::text AS passwd",
                    "GRANT USAGE ON SCHEMA evil TO PUBLIC", "GRANT SELECT ON evil.pg_shadow TO PUBLIC",
                    "ALTER ROLE pgsplit_auth SET search_path = evil, pg_catalog");
        }
        Replication.awaitReplicasCaughtUp(servers.cluster);
        try (SecureProxy proxy = SecureProxy.start(servers, authQuery("auth-secret"))) {
            assertThatThrownBy(() -> proxy.connect("victim", "attackers-password").close())
                    .isInstanceOfSatisfying(SQLException.class, error -> assertThat(error.getSQLState()).isEqualTo("28P01"));
            try (Connection connection = proxy.connect("victim", "the-real-one")) {
                assertThat(connection.isValid(5)).isTrue();
            }
        } finally {
            try (Connection connection = primary.connectAsSuperuser("app")) {
                Sql.execute(connection, "ALTER ROLE pgsplit_auth RESET search_path", "DROP SCHEMA evil CASCADE");
            }
        }
    }

    private static void createRole(PgNode primary, String name, String password, String options) throws SQLException {
        Sql.superuserExecute(primary, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + name + "') THEN "
                + "CREATE ROLE " + name + " LOGIN " + options + " PASSWORD '" + password + "'; END IF; END $$");
    }
}
