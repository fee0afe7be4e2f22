package io.pgsplit.protocol.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Locale;

/**
 * SCRAM channel binding of type {@code tls-server-end-point} (RFC 5929 section 4): the hash of the server's TLS
 * certificate, with SHA-256 where its signature uses MD5 or SHA-1 and the signature's own hash otherwise. It is the
 * only type PostgreSQL supports; a man in the middle who terminates TLS with another certificate cannot produce it.
 */
public final class ChannelBinding {
    public static final String TLS_SERVER_END_POINT = "tls-server-end-point";

    private final byte[] data;

    private ChannelBinding(byte[] data) {
        this.data = data;
    }

    public static ChannelBinding tlsServerEndPoint(X509Certificate serverCertificate) {
        try {
            return new ChannelBinding(MessageDigest.getInstance(hashFor(serverCertificate.getSigAlgName()))
                    .digest(serverCertificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("the server certificate cannot be encoded", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("no hash for the certificate's signature " + serverCertificate.getSigAlgName(), e);
        }
    }

    /** Binding data given directly, for tests of the exchange. */
    static ChannelBinding ofData(byte[] data) {
        return new ChannelBinding(data.clone());
    }

    /** "SHA384withRSA" → SHA-384; MD5, SHA-1 and anything unnamed → SHA-256 as the RFC says. */
    static String hashFor(String signatureAlgorithm) {
        String name = signatureAlgorithm.toUpperCase(Locale.ROOT).replace("-", "");
        if (name.startsWith("SHA384") || name.contains("SHA384")) {
            return "SHA-384";
        }
        if (name.startsWith("SHA512") || name.contains("SHA512")) {
            return "SHA-512";
        }
        return "SHA-256";
    }

    byte[] data() {
        return data.clone();
    }
}
