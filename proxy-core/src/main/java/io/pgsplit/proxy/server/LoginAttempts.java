package io.pgsplit.proxy.server;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.pgsplit.protocol.auth.ChannelBinding;
import io.pgsplit.proxy.auth.LoginAttempt;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** What the authentication of a client needs to know about its connection: address, TLS, channel binding, certificate. */
final class LoginAttempts {

    private LoginAttempts() {
    }

    /** Read once the StartupMessage is in, i.e. after any TLS handshake. */
    static LoginAttempt of(Channel channel, String user, String database) {
        // pgsplit listens on TCP only; an in-memory channel (tests) counts as loopback.
        InetAddress client = channel.remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress() : InetAddress.getLoopbackAddress();
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return new LoginAttempt(user, database, client, false, null, null);
        }
        SSLSession session = ssl.engine().getSession();
        return new LoginAttempt(user, database, client, true, binding(session), certificateName(session));
    }

    /** tls-server-end-point over the certificate this connection was served with (a reload may have changed others). */
    private static ChannelBinding binding(SSLSession session) {
        Certificate[] local = session.getLocalCertificates();
        return local != null && local.length > 0 && local[0] instanceof X509Certificate certificate
                ? ChannelBinding.tlsServerEndPoint(certificate) : null;
    }

    /** The CN of a client certificate the handshake verified, as PostgreSQL's cert method reads it; null without one. */
    private static String certificateName(SSLSession session) {
        try {
            Certificate[] peer = session.getPeerCertificates();
            if (peer.length == 0 || !(peer[0] instanceof X509Certificate certificate)) {
                return null;
            }
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
            return null;
        } catch (SSLPeerUnverifiedException | InvalidNameException noCertificate) {
            return null;
        }
    }
}
