package io.pgsplit.proxy.config;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/** A certificate chain (leaf first) and its private key, read from PEM files and checked to belong together. */
public record TlsIdentity(List<X509Certificate> chain, PrivateKey key) {
    private static final byte[] PROBE = "pgsplit key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    public TlsIdentity {
        chain = List.copyOf(chain);
        Objects.requireNonNull(key, "key");
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** True when {@code key} signs what the leaf certificate's public key verifies. */
    static boolean belongTogether(X509Certificate leaf, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return true; // nothing to check it with here; the handshake will tell
        }
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Masks the key: configs get logged. */
    @Override
    public String toString() {
        return "TlsIdentity[" + leaf().getSubjectX500Principal().getName() + ", serial " + leaf().getSerialNumber().toString(16) + "]";
    }
}
