package io.pgsplit.proxy.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's trust manager, with failures that say which setting decides: "PKIX path building failed" alone does
 * not tell an operator to look at server_tls.ca_file or client_tls.ca_file. Host name checks (verify-full) happen in
 * the same calls, so their failures are explained the same way.
 */
final class ExplainingTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager delegate;

    private ExplainingTrustManager(X509ExtendedTrustManager delegate) {
        this.delegate = delegate;
    }

    static TrustManager[] wrap(TrustManager[] managers) {
        TrustManager[] wrapped = managers.clone();
        for (int i = 0; i < wrapped.length; i++) {
            if (wrapped[i] instanceof X509ExtendedTrustManager extended) {
                wrapped[i] = new ExplainingTrustManager(extended);
            }
        }
        return wrapped;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw explained("the server's", chain, e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            throw explained("the server's", chain, e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            throw explained("the server's", chain, e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        try {
            delegate.checkClientTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw explained("the client's", chain, e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        try {
            delegate.checkClientTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            throw explained("the client's", chain, e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            delegate.checkClientTrusted(chain, authType);
        } catch (CertificateException e) {
            throw explained("the client's", chain, e);
        }
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }

    private static CertificateException explained(String whose, X509Certificate[] chain, CertificateException cause) {
        String subject = chain.length == 0 ? "(none)" : chain[0].getSubjectX500Principal().getName();
        return new CertificateException(whose + " certificate " + subject + " was rejected: it must be issued by an "
                + "authority in the configured ca_file" + ("the server's".equals(whose) ? " and, under verify-full, name the server" : "")
                + " (" + cause.getMessage() + ")", cause);
    }
}
