package io.pgsplit.it.security;

import io.pgsplit.testsupport.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The certificates of one test run, made at run time in target/: a CA for pgsplit's own certificate (which clients
 * verify), a CA for the servers' certificate (which pgsplit verifies), one more CA nobody uses (the wrong one), and a
 * CA for client certificates. Nothing secret is committed.
 */
final class TestPki {
    /** The name the servers' certificate carries instead of their address: verify-full needs servers[].tls_name. */
    static final String SERVER_TLS_NAME = "pg.cluster.test";

    final Path directory;
    final TestCertificates proxyCa = TestCertificates.authority("pgsplit test proxy CA");
    final TestCertificates serverCa = TestCertificates.authority("pgsplit test server CA");
    final TestCertificates wrongCa = TestCertificates.authority("pgsplit test unrelated CA");
    final TestCertificates clientCa = TestCertificates.authority("pgsplit test client CA");

    private TestPki(Path directory) {
        this.directory = directory;
    }

    static TestPki create(String name) {
        try {
            Path directory = Files.createDirectories(Path.of("target", "pki")).toAbsolutePath();
            return new TestPki(Files.createTempDirectory(directory, name + "-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path file(String name) {
        return directory.resolve(name);
    }

    /** pgsplit's certificate for 127.0.0.1 and localhost, chain and PKCS#8 key; returns the issued certificate. */
    TestCertificates.Issued writeProxyCertificate(String chainFile, String keyFile) {
        TestCertificates.Issued issued = proxyCa.issueServer("pgsplit", List.of("localhost"), List.of("127.0.0.1"));
        issued.writeChain(file(chainFile));
        issued.writeKeyPkcs8(file(keyFile));
        return issued;
    }
}
