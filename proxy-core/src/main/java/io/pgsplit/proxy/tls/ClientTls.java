package io.pgsplit.proxy.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import io.pgsplit.proxy.config.ClientTlsConfig;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * TLS towards clients for one configuration: a new connection takes the current instance when it is accepted, so a
 * reload that brings new certificates applies to new connections while open ones keep theirs.
 */
public final class ClientTls {
    /** The ALPN protocol PostgreSQL 17 clients offer, and require for direct TLS. */
    public static final String ALPN_PROTOCOL = "postgresql";

    private final ClientTlsConfig config;
    private final SSLContext context; // null when disabled

    private ClientTls(ClientTlsConfig config, SSLContext context) {
        this.config = config;
        this.context = context;
    }

    /** Builds the TLS context; runs where configurations are loaded, never on an event loop. */
    public static ClientTls of(ClientTlsConfig config) {
        if (!config.enabled()) {
            return new ClientTls(config, null);
        }
        return new ClientTls(config, TlsContexts.create(config.identity(), config.clientCas(), false));
    }

    public boolean enabled() {
        return context != null;
    }

    public boolean required() {
        return config.mode() == ClientTlsConfig.Mode.REQUIRE;
    }

    /**
     * A server-side handler for one client connection: the configured protocols and ciphers, ALPN {@code postgresql}
     * selected when offered, and a client certificate asked for (and verified when sent) when a CA file is set.
     */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(config.protocols().toArray(String[]::new));
        if (!config.ciphers().isEmpty()) {
            parameters.setCipherSuites(config.ciphers().toArray(String[]::new));
        }
        parameters.setWantClientAuth(!config.clientCas().isEmpty());
        engine.setSSLParameters(parameters);
        engine.setHandshakeApplicationProtocolSelector((sslEngine, offered) -> selectProtocol(offered));
        return new SslHandler(engine);
    }

    /**
     * "postgresql" when offered; none when the client offered nothing (JDK: empty string); otherwise null, which makes
     * the JDK end the handshake with a no_application_protocol alert, as PostgreSQL 17 does.
     */
    private static String selectProtocol(List<String> offered) {
        if (offered.isEmpty()) {
            return "";
        }
        return offered.contains(ALPN_PROTOCOL) ? ALPN_PROTOCOL : null;
    }
}
