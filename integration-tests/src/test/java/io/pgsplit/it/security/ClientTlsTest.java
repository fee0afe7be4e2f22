package io.pgsplit.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsplit.it.ExternalCommand;
import io.pgsplit.it.Psql;
import io.pgsplit.proxy.config.ConfigException;
import io.pgsplit.testsupport.TestCertificates;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** TLS between clients and pgsplit, with real psql and pgjdbc verifying pgsplit's certificate against a test CA. */
@ExtendWith(TlsServersExtension.class)
@Timeout(120)
class ClientTlsTest {
    private static TlsServers servers;
    private static TestPki pki;
    private static Path proxyCa;

    @BeforeAll
    static void setUp(TlsServers shared) {
        servers = shared;
        pki = TestPki.create("client-tls");
        pki.writeProxyCertificate("pgsplit.crt", "pgsplit.key");
        proxyCa = pki.proxyCa.writeCertificate(pki.file("proxy-ca.crt"));
    }

    private static String clientTls(String mode) {
        return "client_tls:\n  mode: " + mode + "\n  cert_file: " + pki.file("pgsplit.crt") + "\n  key_file: "
                + pki.file("pgsplit.key") + "\n";
    }

    @Test
    void psqlAndPgjdbcConnectWithVerifyFullUnderRequire() throws Exception {
        try (SecureProxy proxy = SecureProxy.start(servers, clientTls("require"))) {
            ExternalCommand.Result psql = new Psql(proxy.address(), "app", "app").quiet()
                    .with("sslmode=verify-full", "sslrootcert=" + proxyCa).commands("SELECT 'over tls'");
            assertThat(psql.exitCode()).as(psql.toString()).isZero();
            assertThat(psql.stdout().strip()).isEqualTo("over tls");

            try (Connection connection = proxy.connect("app", "app", "ssl=true", "sslmode=verify-full", "sslrootcert=" + proxyCa)) {
                assertThat(scalar(connection, "SELECT 'pgjdbc over tls'")).isEqualTo("pgjdbc over tls");
            }
        }
    }

    @Test
    void psycopg2ConnectsWithVerifyFullAndChannelBinding() throws Exception {
        String script = String.join("\n",
                "import psycopg2, sys",
                "c = psycopg2.connect(host='127.0.0.1', port=int(sys.argv[1]), dbname='app', user='app', password='app',",
                "                     sslmode='verify-full', sslrootcert=sys.argv[2], channel_binding='require')",
                "cur = c.cursor()",
                "cur.execute(\"SELECT 'psycopg2 over tls'\")",
                "print(cur.fetchone()[0])");
        try (SecureProxy proxy = SecureProxy.start(servers, clientTls("require"))) {
            // Debian's python3-psycopg2 (.ci/run installs it) is for the system interpreter.
            ExternalCommand.Result result = ExternalCommand.run(List.of("/usr/bin/python3", "-c", script,
                    Integer.toString(proxy.address().getPort()), proxyCa.toString()), Map.of(), Duration.ofSeconds(30));
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stdout().strip()).isEqualTo("psycopg2 over tls");
        }
    }

    @Test
    void nodePostgresConnectsWithAVerifiedCertificateAndChannelBinding() throws Exception {
        Path modules = installNodePostgres();
        String script = String.join("\n",
                "const { Client } = require('pg');",
                "const client = new Client({ host: '127.0.0.1', port: +process.argv[1], database: 'app', user: 'app',",
                "  password: 'app', enableChannelBinding: true,",
                "  ssl: { ca: require('fs').readFileSync(process.argv[2]), rejectUnauthorized: true } });",
                "client.connect()",
                "  .then(() => client.query(\"SELECT 'node-postgres over tls' AS v\"))",
                "  .then(result => { console.log(result.rows[0].v); return client.end(); })",
                "  .catch(error => { console.error(error); process.exit(1); });");
        try (SecureProxy proxy = SecureProxy.start(servers, clientTls("require"))) {
            ExternalCommand.Result result = ExternalCommand.run(List.of("node", "-e", script,
                    Integer.toString(proxy.address().getPort()), proxyCa.toString()),
                    Map.of("NODE_PATH", modules.toString()), Duration.ofSeconds(30));
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stdout().strip()).isEqualTo("node-postgres over tls");
        }
    }

    /** node-postgres from the npm registry, once per build, into target/ (nothing of it is committed). */
    private static Path installNodePostgres() {
        Path prefix = Path.of("target", "node-postgres").toAbsolutePath();
        Path modules = prefix.resolve("node_modules");
        if (!Files.isDirectory(modules.resolve("pg"))) {
            ExternalCommand.run(List.of("npm", "install", "--prefix", prefix.toString(), "--no-audit", "--no-fund",
                    "--no-save", "pg@8.23.1"), Map.of(), Duration.ofSeconds(180)).requireSuccess();
        }
        return modules;
    }

    @Test
    void requireRefusesAPlaintextClientWith28000() {
        try (SecureProxy proxy = SecureProxy.start(servers, clientTls("require"))) {
            assertThatThrownBy(() -> proxy.connect("app", "app", "sslmode=disable").close())
                    .isInstanceOfSatisfying(SQLException.class, error -> assertThat(error.getSQLState()).isEqualTo("28000"))
                    .hasMessageContaining("TLS is required");
            ExternalCommand.Result psql = new Psql(proxy.address(), "app", "app").with("sslmode=disable").commands("SELECT 1");
            assertThat(psql.exitCode()).isNotZero();
            assertThat(psql.stderr()).contains("TLS is required");
        }
    }

    @Test
    void allowServesPlaintextAndTlsClientsAlike() throws Exception {
        try (SecureProxy proxy = SecureProxy.start(servers, clientTls("allow"));
             Connection plain = proxy.connect("app", "app", "sslmode=disable");
             Connection tls = proxy.connect("app", "app", "sslmode=verify-full", "sslrootcert=" + proxyCa)) {
            assertThat(scalar(plain, "SELECT 1")).isEqualTo("1");
            assertThat(scalar(tls, "SELECT 2")).isEqualTo("2");
        }
    }

    @Test
    void postgres17DirectTlsWithAlpnIsAccepted() throws Exception {
        try (SecureProxy proxy = SecureProxy.start(servers, clientTls("require"));
             Connection connection = proxy.connect("app", "app", "sslmode=verify-full", "sslrootcert=" + proxyCa,
                     "sslNegotiation=direct")) {
            assertThat(scalar(connection, "SELECT 'direct'")).isEqualTo("direct");
        }
    }

    @Test
    void scramSha256PlusChannelBindingIsOfferedOnTls() throws Exception {
        try (SecureProxy proxy = SecureProxy.start(servers, clientTls("require"));
             Connection connection = proxy.connect("app", "app", "sslmode=verify-full", "sslrootcert=" + proxyCa,
                     "channelBinding=require")) {
            assertThat(scalar(connection, "SELECT 'bound'")).isEqualTo("bound");
            ExternalCommand.Result psql = new Psql(proxy.address(), "app", "app").quiet()
                    .with("sslmode=verify-full", "sslrootcert=" + proxyCa, "channel_binding=require").commands("SELECT 'psql bound'");
            assertThat(psql.exitCode()).as(psql.toString()).isZero();
        }
    }

    @Test
    void aClientCertificateLogsInWithTheCertMethod() throws Exception {
        TestCertificates.Issued app = pki.clientCa.issueClient("app");
        Path clientCaFile = pki.clientCa.writeCertificate(pki.file("client-ca.crt"));
        Path cert = app.writeCertificate(pki.file("app.crt"));
        Path derKey = app.writeKeyDer(pki.file("app.pk8"));
        Path pemKey = app.writeKeyPkcs8(pki.file("app.key"));
        String sections = clientTls("require") + "  ca_file: " + clientCaFile + "\n"
                + "hba:\n  - {type: hostssl, database: all, user: app, address: 127.0.0.1/32, method: cert}\n";
        try (SecureProxy proxy = SecureProxy.start(servers, sections)) {
            try (Connection connection = proxy.connect("app", null, "sslmode=verify-full", "sslrootcert=" + proxyCa,
                    "sslcert=" + cert, "sslkey=" + derKey)) {
                assertThat(scalar(connection, "SELECT current_user")).isEqualTo("app");
            }
            ExternalCommand.Result psql = new Psql(proxy.address(), "app", "").quiet()
                    .with("sslmode=verify-full", "sslrootcert=" + proxyCa, "sslcert=" + cert, "sslkey=" + pemKey)
                    .commands("SELECT current_user");
            assertThat(psql.exitCode()).as(psql.toString()).isZero();
            assertThatThrownBy(() -> proxy.connect("app", "app", "sslmode=verify-full", "sslrootcert=" + proxyCa).close())
                    .isInstanceOfSatisfying(SQLException.class, error -> assertThat(error.getSQLState()).isEqualTo("28000"))
                    .hasMessageContaining("client certificate");
        }
    }

    @Test
    void aReloadServesTheNewCertificateToNewConnectionsWhileOpenOnesCarryOn() throws Exception {
        TestPki reloading = TestPki.create("reload");
        BigInteger first = reloading.writeProxyCertificate("pgsplit.crt", "pgsplit.key").serial();
        String sections = "client_tls:\n  mode: require\n  cert_file: " + reloading.file("pgsplit.crt") + "\n  key_file: "
                + reloading.file("pgsplit.key") + "\n";
        try (SecureProxy proxy = SecureProxy.start(servers, sections);
             Connection open = proxy.connect("app", "app", "sslmode=require")) {
            assertThat(TlsProbe.servedCertificateSerial(proxy.address())).isEqualTo(first);

            BigInteger second = reloading.writeProxyCertificate("pgsplit.crt", "pgsplit.key").serial();
            proxy.reload(servers, sections);

            assertThat(TlsProbe.servedCertificateSerial(proxy.address())).isEqualTo(second).isNotEqualTo(first);
            assertThat(scalar(open, "SELECT 'still here'")).isEqualTo("still here");

            Files.writeString(reloading.file("pgsplit.key"), "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n");
            assertThatThrownBy(() -> proxy.reload(servers, sections))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("client_tls.key_file");
            assertThat(TlsProbe.servedCertificateSerial(proxy.address())).as("the rejected reload changed nothing").isEqualTo(second);
        }
    }

    @Test
    void bytesInjectedAfterTheSslRequestAreRefusedBeforeAnyHandshake() throws Exception {
        try (SecureProxy proxy = SecureProxy.start(servers, clientTls("allow"))) {
            String reply = TlsProbe.firstReply(proxy.address(), TlsProbe.sslRequestFollowedBy(TlsProbe.startupMessage("app")));
            assertThat(reply).startsWith("E").contains("C08P01").contains("received unencrypted data after SSL request");
        }
    }

    private static String scalar(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); var row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
