package io.pgsplit.proxy.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and private keys (PKCS#8 "PRIVATE KEY", or PKCS#1 "RSA PRIVATE KEY" as OpenSSL and older
 * tools write them) with the JDK alone. Files are read when the configuration is loaded, so a broken file fails the
 * load (or the reload) with the key that named it, never a connection later.
 */
final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** AlgorithmIdentifier of rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters, DER-encoded. */
    private static final byte[] RSA_ALGORITHM = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    private PemFiles() {
    }

    static List<X509Certificate> certificates(Path file) {
        byte[] content = read(file);
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (var certificate : factory.generateCertificates(new ByteArrayInputStream(content))) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("holds no PEM certificate: " + file);
            }
            return List.copyOf(certificates);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("is not a PEM certificate file: " + file + " (" + e.getMessage() + ")");
        }
    }

    static PrivateKey privateKey(Path file) {
        String text = new String(read(file), StandardCharsets.US_ASCII);
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            String type = block.group(1);
            byte[] der = decode(block.group(2), file);
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(der, file);
                case "RSA PRIVATE KEY":
                    return pkcs8(wrapPkcs1(der), file);
                case "ENCRYPTED PRIVATE KEY":
                    throw new IllegalArgumentException("holds an encrypted private key, which pgsplit cannot unlock: " + file
                            + " (decrypt it with openssl pkcs8 -topk8 -nocrypt)");
                case "EC PRIVATE KEY":
                    throw new IllegalArgumentException("holds a SEC1 EC key: " + file
                            + " (convert it to PKCS#8 with openssl pkcs8 -topk8 -nocrypt)");
                default:
                    // EC PARAMETERS and the like precede the key in some files.
            }
        }
        throw new IllegalArgumentException("holds no PEM private key (PKCS#8 or PKCS#1): " + file);
    }

    private static PrivateKey pkcs8(byte[] der, Path file) {
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException wrongAlgorithm) {
                // try the next one
            }
        }
        throw new IllegalArgumentException("holds a private key of an unsupported kind: " + file);
    }

    /** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING pkcs1 }: a PKCS#1 RSA key as PKCS#8. */
    static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] octets = tlv(0x04, pkcs1);
        byte[] body = new byte[3 + RSA_ALGORITHM.length + octets.length];
        body[0] = 0x02;
        body[1] = 0x01;
        body[2] = 0x00;
        System.arraycopy(RSA_ALGORITHM, 0, body, 3, RSA_ALGORITHM.length);
        System.arraycopy(octets, 0, body, 3 + RSA_ALGORITHM.length, octets.length);
        return tlv(0x30, body);
    }

    private static byte[] tlv(int tag, byte[] value) {
        int length = value.length;
        byte[] header;
        if (length < 0x80) {
            header = new byte[] {(byte) tag, (byte) length};
        } else if (length < 0x100) {
            header = new byte[] {(byte) tag, (byte) 0x81, (byte) length};
        } else if (length < 0x10000) {
            header = new byte[] {(byte) tag, (byte) 0x82, (byte) (length >> 8), (byte) length};
        } else {
            header = new byte[] {(byte) tag, (byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
        }
        byte[] result = new byte[header.length + length];
        System.arraycopy(header, 0, result, 0, header.length);
        System.arraycopy(value, 0, result, header.length, length);
        return result;
    }

    private static byte[] decode(String base64, Path file) {
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("holds a PEM block that is not valid base64: " + file);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot be read: " + file + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }
}
