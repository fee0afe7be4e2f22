package io.pgsplit.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made for one test, and the server and client certificates it issues, written as PEM (and
 * DER for pgjdbc's client keys) with owner-only permissions. Nothing secret is committed: every key is made at run time.
 */
public final class TestCertificates {
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private final X500Name name;
    private final KeyPair keys;
    private final X509Certificate certificate;

    private TestCertificates(X500Name name, KeyPair keys, X509Certificate certificate) {
        this.name = name;
        this.keys = keys;
        this.certificate = certificate;
    }

    /** A new self-signed CA called {@code commonName}. */
    public static TestCertificates authority(String commonName) {
        X500Name name = new X500Name("CN=" + commonName);
        KeyPair keys = rsaKeys();
        X509v3CertificateBuilder builder = builder(name, name, keys);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TestCertificates(name, keys, sign(builder, keys.getPrivate()));
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Writes the CA certificate, the file clients and servers trust. */
    public Path writeCertificate(Path file) {
        return write(file, pem("CERTIFICATE", encoded(certificate)));
    }

    /** A server certificate for these DNS names and IP addresses (subjectAltName), e.g. "localhost" and "127.0.0.1". */
    public Issued issueServer(String commonName, List<String> dnsNames, List<String> ipAddresses) {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        return issue(commonName, names, KeyPurposeId.id_kp_serverAuth);
    }

    /** A client certificate whose common name is {@code user}, as PostgreSQL's cert method expects. */
    public Issued issueClient(String user) {
        return issue(user, List.of(), KeyPurposeId.id_kp_clientAuth);
    }

    private Issued issue(String commonName, List<GeneralName> altNames, KeyPurposeId purpose) {
        KeyPair subjectKeys = rsaKeys();
        X509v3CertificateBuilder builder = builder(name, new X500Name("CN=" + commonName), subjectKeys);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (!altNames.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altNames.toArray(GeneralName[]::new)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Issued(sign(builder, keys.getPrivate()), subjectKeys.getPrivate(), certificate);
    }

    /** An issued certificate and its key. */
    public record Issued(X509Certificate certificate, PrivateKey key, X509Certificate issuer) {

        public BigInteger serial() {
            return certificate.getSerialNumber();
        }

        /** The certificate followed by its issuer, as a server presents its chain. */
        public Path writeChain(Path file) {
            return write(file, pem("CERTIFICATE", encoded(certificate)) + pem("CERTIFICATE", encoded(issuer)));
        }

        public Path writeCertificate(Path file) {
            return write(file, pem("CERTIFICATE", encoded(certificate)));
        }

        /** "BEGIN PRIVATE KEY". */
        public Path writeKeyPkcs8(Path file) {
            return write(file, pem("PRIVATE KEY", key.getEncoded()));
        }

        /** "BEGIN RSA PRIVATE KEY", as OpenSSL 1.x writes it. */
        public Path writeKeyPkcs1(Path file) {
            try {
                byte[] pkcs1 = PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded();
                return write(file, pem("RSA PRIVATE KEY", pkcs1));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** PKCS#8 DER, the key format pgjdbc reads for sslkey. */
        public Path writeKeyDer(Path file) {
            return write(file, key.getEncoded());
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair subjectKeys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject,
                subjectKeys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a test certificate", e);
        }
    }

    private static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Path write(Path file, String text) {
        return write(file, text.getBytes(StandardCharsets.US_ASCII));
    }

    private static Path write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, content);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
