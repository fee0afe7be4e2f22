package io.pgsplit.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsplit.testsupport.TestCertificates;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** client_tls, server_tls, auth_query, hba and servers[].tls_name as the config loader reads and checks them. */
class SecurityConfigTest {
    private static final String BASE = """
            listen: 127.0.0.1:6432
            servers:
              - { name: pg1, host: 127.0.0.1, port: 15432, tls_name: pg1.internal }
            users:
              - { name: app, password: secret }
            """;

    @TempDir
    static Path directory;
    private static TestCertificates.Issued issued;

    @BeforeAll
    static void makeCertificates() {
        TestCertificates ca = TestCertificates.authority("config test CA");
        issued = ca.issueServer("pgsplit", List.of("localhost"), List.of("127.0.0.1"));
        issued.writeChain(directory.resolve("chain.crt"));
        issued.writeKeyPkcs8(directory.resolve("pkcs8.key"));
        issued.writeKeyPkcs1(directory.resolve("pkcs1.key"));
        ca.issueServer("other", List.of(), List.of()).writeKeyPkcs8(directory.resolve("other.key"));
        ca.writeCertificate(directory.resolve("ca.crt"));
    }

    private static PgSplitConfig parse(String extra) throws ConfigException {
        return ConfigLoader.parse(BASE + extra, "test");
    }

    private static String clientTls(String keyFile) {
        return "client_tls: { mode: require, cert_file: " + directory.resolve("chain.crt") + ", key_file: "
                + directory.resolve(keyFile) + " }\n";
    }

    @Test
    void withoutTheNewSectionsTlsTowardsClientsIsOffAndTowardsServersPreferred() throws Exception {
        SecuritySettings security = parse("").security();

        assertThat(security.clientTls().mode()).isEqualTo(ClientTlsConfig.Mode.DISABLE);
        assertThat(security.serverTls().mode()).isEqualTo(ServerTlsConfig.Mode.PREFER);
        assertThat(security.authQuery()).isEmpty();
        assertThat(security.hba()).isEmpty();
    }

    @Test
    void readsPkcs8AndPkcs1KeysAndTheWholeChain() throws Exception {
        for (String key : List.of("pkcs8.key", "pkcs1.key")) {
            ClientTlsConfig tls = parse(clientTls(key)).security().clientTls();
            assertThat(tls.identity()).hasValueSatisfying(identity -> {
                assertThat(identity.chain()).hasSize(2);
                assertThat(identity.leaf().getSerialNumber()).isEqualTo(issued.serial());
                assertThat(identity.key().getEncoded()).isEqualTo(issued.key().getEncoded());
            });
            assertThat(tls.protocols()).containsExactly("TLSv1.2", "TLSv1.3");
        }
    }

    @Test
    void aKeyOfAnotherCertificateABrokenFileOrAMissingOneNamesItsKey() throws Exception {
        assertThatThrownBy(() -> parse(clientTls("other.key")))
                .hasMessageStartingWith("client_tls.key_file: does not belong to the first certificate of cert_file");
        Files.writeString(directory.resolve("broken.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> parse(clientTls("broken.key"))).hasMessageStartingWith("client_tls.key_file: ");
        assertThatThrownBy(() -> parse(clientTls("missing.key")))
                .hasMessageStartingWith("client_tls.key_file: cannot be read");
        assertThatThrownBy(() -> parse("client_tls: { mode: allow }\n"))
                .hasMessageStartingWith("client_tls.cert_file: is required with mode allow");
    }

    @Test
    void protocolsAndCiphersMustBeKnownToTheRuntime() {
        assertThatThrownBy(() -> parse(clientTls("pkcs8.key").replace(" }", ", protocols: [SSLv2] }")))
                .hasMessageContaining("client_tls.protocols[0]: is not supported");
    }

    @Test
    void serverTlsVerificationNeedsACaAndTlsNameIsTheNameChecked() throws Exception {
        assertThatThrownBy(() -> parse("server_tls: { mode: verify-full }\n"))
                .hasMessageStartingWith("server_tls.ca_file: is required with mode verify-full");
        PgSplitConfig config = parse("server_tls: { mode: verify-full, ca_file: " + directory.resolve("ca.crt") + " }\n");

        assertThat(config.security().serverTls().verifiesCertificate()).isTrue();
        assertThat(config.servers().get(0).verifiedName()).isEqualTo("pg1.internal");
        assertThat(parse("server_tls: { mode: require }\n").security().serverTls().verifiesCertificate()).isFalse();
        assertThat(parse("server_tls: { mode: require, ca_file: " + directory.resolve("ca.crt") + " }\n")
                .security().serverTls().verifiesCertificate()).as("libpq: require with a root CA verifies it").isTrue();
    }

    @Test
    void authQueryDefaultsToPgShadowAndSixtySeconds() throws Exception {
        AuthQueryConfig query = parse("auth_query: { user: pgsplit_auth, password: pw }\n").security().authQuery().orElseThrow();

        assertThat(query.query()).isEqualTo("SELECT usename, passwd FROM pg_shadow WHERE usename = $1");
        assertThat(query.cache()).isEqualTo(Duration.ofSeconds(60));
        assertThat(query.toString()).doesNotContain("pw,");
        assertThatThrownBy(() -> parse("auth_query: { user: a, query: \"SELECT 1\" }\n"))
                .hasMessageStartingWith("auth_query.query: must take the user name as $1");
    }

    @Test
    void hbaRulesMatchInPgHbaStyle() throws Exception {
        List<HbaRule> rules = parse("""
                hba:
                  - { type: hostssl, database: all, user: "app, reporting", address: 10.0.0.0/8, method: scram-sha-256 }
                  - { type: hostnossl, database: app, user: all, address: all, method: reject }
                """).security().hba();

        HbaRule tlsOnly = rules.get(0);
        assertThat(tlsOnly.users()).isEqualTo(Set.of("app", "reporting"));
        assertThat(tlsOnly.matches(true, "any", "app", InetAddress.getByName("10.1.2.3"))).isTrue();
        assertThat(tlsOnly.matches(false, "any", "app", InetAddress.getByName("10.1.2.3"))).as("plaintext").isFalse();
        assertThat(tlsOnly.matches(true, "any", "app", InetAddress.getByName("192.168.0.1"))).as("address").isFalse();
        assertThat(tlsOnly.matches(true, "any", "other", InetAddress.getByName("10.1.2.3"))).as("user").isFalse();
        assertThat(rules.get(1).matches(false, "app", "x", InetAddress.getByName("::1"))).isTrue();
        assertThat(rules.get(1).method()).isEqualTo(AuthMethod.REJECT);
    }

    @Test
    void hbaAddressesAreIpRangesAsPostgresqlWritesThem() {
        assertThat(Cidr.parse("::1/128").contains(InetAddress.getLoopbackAddress())).isFalse(); // 127.0.0.1 is v4
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1/8")).hasMessageContaining("bits set to the right of the prefix");
        assertThatThrownBy(() -> Cidr.parse("db.internal/32")).hasMessageContaining("not a host name");
        assertThatThrownBy(() -> parse("hba: [ { type: local, database: all, user: all, method: trust } ]\n"))
                .hasMessageStartingWith("hba[0].type: must be one of host, hostssl, hostnossl");
    }
}
