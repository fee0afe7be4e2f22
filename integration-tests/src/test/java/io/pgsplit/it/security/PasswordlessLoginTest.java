package io.pgsplit.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsplit.cluster.PgNode;
import io.pgsplit.it.Replication;
import io.pgsplit.it.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * pgsplit configured with what pg_authid holds instead of passwords: SCRAM verifiers (it logs in to the servers with
 * the ClientKey the client proves) and md5 hashes (it answers md5 servers with the hash). The servers are the TLS-only
 * cluster, so these logins also run over verify-full TLS, on the session's primary and on pooled replica connections.
 */
@ExtendWith(TlsServersExtension.class)
@Timeout(120)
class PasswordlessLoginTest {
    private static TlsServers servers;
    private static String appVerifier;
    private static String md5Hash;

    @BeforeAll
    static void setUp(TlsServers shared) throws Exception {
        servers = shared;
        PgNode primary = servers.cluster.primary();
        appVerifier = Sql.superuserScalar(primary, "SELECT rolpassword FROM pg_authid WHERE rolname = 'app'");
        Sql.superuserExecute(primary, "SET password_encryption = 'md5'",
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'md5_user') THEN "
                        + "CREATE ROLE md5_user LOGIN PASSWORD 'md5-secret'; END IF; END $$");
        md5Hash = Sql.superuserScalar(primary, "SELECT rolpassword FROM pg_authid WHERE rolname = 'md5_user'");
        Replication.awaitReplicasCaughtUp(servers.cluster);
        allowMd5LoginsFor("md5_user");
    }

    @Test
    void aScramVerifierUserLogsInToThePrimaryAndTheReplicasWithTheKeysItsClientProved() throws Exception {
        assertThat(appVerifier).startsWith("SCRAM-SHA-256$4096:");
        String users = "users:\n  - {name: app, password: \"" + appVerifier + "\"}\n";
        try (SecureProxy proxy = SecureProxy.start(servers, users);
             Connection connection = proxy.connect("app", "app")) {
            assertThat(portsServing(connection, "/* pgsplit:primary */ SELECT inet_server_port()", 1))
                    .containsExactly(servers.cluster.primary().port());
            assertThat(portsServing(connection, "SELECT inet_server_port()", 40))
                    .containsExactlyInAnyOrderElementsOf(servers.cluster.replicas().stream().map(PgNode::port).toList());
            assertThatThrownBy(() -> proxy.connect("app", "wrong").close())
                    .isInstanceOfSatisfying(SQLException.class, error -> assertThat(error.getSQLState()).isEqualTo("28P01"));
        }
    }

    @Test
    void aCleartextPasswordIsCheckedAgainstTheVerifierAndTheServersGetDerivedKeys() throws Exception {
        String config = "auth_type: plain\nusers:\n  - {name: app, password: \"" + appVerifier + "\"}\n";
        try (SecureProxy proxy = SecureProxy.start(servers, config);
             Connection connection = proxy.connect("app", "app")) {
            assertThat(portsServing(connection, "SELECT inet_server_port()", 40)).isNotEmpty();
            assertThatThrownBy(() -> proxy.connect("app", "wrong").close())
                    .isInstanceOfSatisfying(SQLException.class, error -> assertThat(error.getSQLState()).isEqualTo("28P01"));
        }
    }

    @Test
    void anMd5HashUserLogsInToMd5ServersWithTheHash() throws Exception {
        assertThat(md5Hash).startsWith("md5").hasSize(35);
        String config = "auth_type: md5\nusers:\n  - {name: app, password: app}\n  - {name: md5_user, password: " + md5Hash + "}\n";
        try (SecureProxy proxy = SecureProxy.start(servers, config);
             Connection connection = proxy.connect("md5_user", "md5-secret")) {
            assertThat(portsServing(connection, "/* pgsplit:primary */ SELECT inet_server_port()", 1))
                    .containsExactly(servers.cluster.primary().port());
            assertThat(portsServing(connection, "SELECT inet_server_port()", 40))
                    .containsExactlyInAnyOrderElementsOf(servers.cluster.replicas().stream().map(PgNode::port).toList());
        }
    }

    /** The servers answered by {@code sql} over {@code rounds} runs. */
    static Set<Integer> portsServing(Connection connection, String sql, int rounds) throws SQLException {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < rounds; i++) {
            try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
                row.next();
                ports.add(row.getInt(1));
            }
        }
        return ports;
    }

    /** The harness's pg_hba says scram-sha-256 for everyone; md5 logins need their own line first, on every node. */
    private static void allowMd5LoginsFor(String role) throws Exception {
        for (PgNode node : servers.cluster.nodes()) {
            Path hba = servers.cluster.dataDirectory(node).resolve("pg_hba.conf");
            String current = Files.readString(hba);
            String line = "hostssl all " + role + " 127.0.0.1/32 md5\n";
            if (!current.contains(line)) {
                Files.writeString(hba, line + current);
            }
            try (Connection connection = node.connectAsSuperuser(); Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_reload_conf()");
            }
        }
        // pg_reload_conf() only signals the postmaster: wait until a direct md5 login works on every node.
        for (PgNode node : servers.cluster.nodes()) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                try (Connection direct = DriverManager.getConnection(node.jdbcUrl("app"), role, "md5-secret")) {
                    return direct.isValid(2);
                }
            });
        }
    }
}
