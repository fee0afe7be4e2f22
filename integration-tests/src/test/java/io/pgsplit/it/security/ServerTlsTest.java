package io.pgsplit.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsplit.cluster.PgNode;
import io.pgsplit.health.ServerHealth;
import java.sql.Connection;
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
 * pgsplit towards servers that accept only TLS (hostssl-only pg_hba): every kind of server connection — the session's
 * primary, pooled replica connections and the health probes — is encrypted and verified, and a wrong CA fails clearly.
 */
@ExtendWith(TlsServersExtension.class)
@Timeout(120)
class ServerTlsTest {
    private static final String WHERE_AND_TLS =
            "SELECT inet_server_port(), ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";
    private static TlsServers servers;

    @BeforeAll
    static void setUp(TlsServers shared) {
        servers = shared;
    }

    @Test
    void everyServerConnectionIsTlsUnderVerifyFullWithTheServersTlsName() throws Exception {
        try (SecureProxy proxy = SecureProxy.start(servers, "");
             Connection connection = proxy.connect("app", "app")) {
            awaitAllUp(proxy); // the probes log in over TLS too: plaintext would be refused by pg_hba

            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("/* pgsplit:primary */ " + WHERE_AND_TLS)) {
                assertThat(row.next()).isTrue();
                assertThat(row.getInt(1)).isEqualTo(servers.cluster.primary().port());
                assertThat(row.getBoolean(2)).as("ssl on the primary").isTrue();
            }
            Set<Integer> replicasSeen = new HashSet<>();
            for (int i = 0; i < 40 && replicasSeen.size() < 2; i++) {
                try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(WHERE_AND_TLS)) {
                    assertThat(row.next()).isTrue();
                    assertThat(row.getBoolean(2)).as("ssl on the server on port %d", row.getInt(1)).isTrue();
                    replicasSeen.add(row.getInt(1));
                }
            }
            assertThat(replicasSeen).containsExactlyInAnyOrderElementsOf(
                    servers.cluster.replicas().stream().map(PgNode::port).toList());
        }
    }

    @Test
    void aWrongCaFailsEveryServerConnectionWithAClearError() {
        String wrongCa = "server_tls: {mode: verify-full, ca_file: " + servers.pki.file("wrong-ca.crt") + "}\n";
        try (SecureProxy proxy = SecureProxy.start(servers, wrongCa)) {
            // Operators read it in /status and the log: the probes say why each server is down.
            assertThat(awaitProbeError(proxy)).contains("certificate").contains("ca_file");
            assertThatThrownBy(() -> proxy.connect("app", "app").close())
                    .isInstanceOfSatisfying(SQLException.class, error -> assertThat(error.getSQLState()).isEqualTo("08006"));
        }
    }

    @Test
    void verifyFullChecksTheNameAndTheCertificateDoesNotName127001() {
        // Without tls_name the name checked is the host, 127.0.0.1, which the servers' certificate does not carry.
        try (SecureProxy proxy = SecureProxy.startWithoutTlsNames(servers, "")) {
            assertThat(awaitProbeError(proxy)).contains("127.0.0.1");
        }
    }

    @Test
    void withoutServerTlsTheServersRefusePlaintext() {
        try (SecureProxy proxy = SecureProxy.start(servers, "server_tls: {mode: disable}\n")) {
            assertThat(awaitProbeError(proxy)).contains("no pg_hba.conf entry");
        }
    }

    /** The first server's probe failure, once there is one. */
    private static String awaitProbeError(SecureProxy proxy) {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                () -> proxy.server.context().topology().servers().get(0).lastError(), error -> error != null);
    }

    private static void awaitAllUp(SecureProxy proxy) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                proxy.server.context().topology().servers().stream().allMatch(ServerHealth::up));
    }
}
