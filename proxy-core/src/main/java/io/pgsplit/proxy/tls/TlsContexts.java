package io.pgsplit.proxy.tls;

import io.pgsplit.proxy.config.TlsIdentity;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * JDK {@link SSLContext}s built from configured PEM material held in memory. Netty's SslHandler wraps engines of
 * these contexts, and pgjdbc (health probes) uses their socket factories, so both sides of pgsplit trust and present
 * exactly the same certificates.
 */
final class TlsContexts {
    private static final char[] NO_PASSWORD = new char[0];

    private TlsContexts() {
    }

    /**
     * @param identity     the certificate chain and key to present, if any
     * @param trusted      the authorities whose certificates are accepted from the peer
     * @param trustAnyPeer accept any peer certificate (libpq's prefer and require without a CA file): encryption only
     */
    static SSLContext create(Optional<TlsIdentity> identity, List<X509Certificate> trusted, boolean trustAnyPeer) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(identity), trustAnyPeer ? new TrustManager[] {new AnyCertificate()}
                    : ExplainingTrustManager.wrap(trustManagers(trusted)), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
        }
    }

    private static KeyManager[] keyManagers(Optional<TlsIdentity> identity) throws GeneralSecurityException {
        if (identity.isEmpty()) {
            return null;
        }
        KeyStore store = emptyStore();
        store.setKeyEntry("identity", identity.get().key(), NO_PASSWORD, identity.get().chain().toArray(Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, NO_PASSWORD);
        return factory.getKeyManagers();
    }

    private static TrustManager[] trustManagers(List<X509Certificate> trusted) throws GeneralSecurityException {
        KeyStore store = emptyStore();
        for (int i = 0; i < trusted.size(); i++) {
            store.setCertificateEntry("ca-" + i, trusted.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("an empty key store cannot fail to load", e);
        }
    }

    /** For modes that encrypt without authenticating the server, as libpq's prefer and require do. */
    private static final class AnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // not used for servers' peers
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // encryption only: the certificate is not verified, by configuration
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
