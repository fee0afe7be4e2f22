package io.pgsplit.it.security;

import io.pgsplit.cluster.LocalPgCluster;
import io.pgsplit.testsupport.TestCertificates;
import java.nio.file.Path;
import java.util.List;

/**
 * A primary and two replicas that accept TCP connections only over TLS (ssl=on, hostssl-only pg_hba), serving a
 * certificate that names {@link TestPki#SERVER_TLS_NAME} and localhost but not 127.0.0.1, with an RSA key in PKCS#1
 * form as older OpenSSL writes it. Shared by the security tests through {@link TlsServersExtension}.
 */
final class TlsServers implements AutoCloseable {
    final TestPki pki;
    final LocalPgCluster cluster;

    private TlsServers(TestPki pki, LocalPgCluster cluster) {
        this.pki = pki;
        this.cluster = cluster;
    }

    static TlsServers start() {
        TestPki pki = TestPki.create("servers");
        TestCertificates.Issued server = pki.serverCa.issueServer("postgres", List.of(TestPki.SERVER_TLS_NAME, "localhost"), List.of());
        Path chain = server.writeChain(pki.file("pg-server.crt"));
        Path key = server.writeKeyPkcs1(pki.file("pg-server.key"));
        pki.serverCa.writeCertificate(pki.file("pg-ca.crt"));
        pki.wrongCa.writeCertificate(pki.file("wrong-ca.crt"));
        LocalPgCluster cluster = LocalPgCluster.builder().replicas(2)
                .tls(chain, key).logTo(Path.of("target", "pg-logs-tls")).start();
        return new TlsServers(pki, cluster);
    }

    @Override
    public void close() {
        cluster.close();
    }
}
