package io.pgsplit.proxy.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import io.pgsplit.health.ProbeTls;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.proxy.config.ServerConfig;
import io.pgsplit.proxy.config.ServerTlsConfig;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS towards the servers for one configuration, with libpq's sslmode meanings: the engines for pgsplit's own
 * connections (sessions, replica pools, auth_query) and the socket factories for pgjdbc (health probes and replay
 * positions), so every connection to a server is encrypted and verified alike. verify-full checks the server's
 * certificate against {@code servers[].tls_name}, or its host.
 */
public final class ServerTls implements ProbeTls {
    private final ServerTlsConfig config;
    private final Map<String, String> verifiedNames;
    private final SSLContext context; // null when disabled
    private final Map<String, SSLSocketFactory> probeFactories = new ConcurrentHashMap<>();

    private ServerTls(ServerTlsConfig config, Map<String, String> verifiedNames, SSLContext context) {
        this.config = config;
        this.verifiedNames = verifiedNames;
        this.context = context;
    }

    /** Builds the TLS context; runs where configurations are loaded, never on an event loop. */
    public static ServerTls of(ServerTlsConfig config, List<ServerConfig> servers) {
        Map<String, String> names = servers.stream().collect(Collectors.toUnmodifiableMap(ServerConfig::name, ServerConfig::verifiedName));
        SSLContext context = config.mode() == ServerTlsConfig.Mode.DISABLE ? null
                : TlsContexts.create(config.identity(), config.cas(), !config.verifiesCertificate());
        return new ServerTls(config, names, context);
    }

    /** True when {@code other} would connect exactly as this does; a reload then keeps this instance (and the probes' connections). */
    public boolean sameAs(ServerTlsConfig otherConfig, List<ServerConfig> servers) {
        return config.equals(otherConfig) && verifiedNames.equals(
                servers.stream().collect(Collectors.toMap(ServerConfig::name, ServerConfig::verifiedName)));
    }

    public ServerTlsConfig.Mode mode() {
        return config.mode();
    }

    /** The name checked against {@code serverName}'s certificate under verify-full. */
    public String verifiedName(String serverName, String host) {
        return verifiedNames.getOrDefault(serverName, host);
    }

    /** A client-mode handler for a connection to {@code serverName}; the handshake starts once it is in an active pipeline. */
    public SslHandler newHandler(ByteBufAllocator alloc, String serverName, String host, int port) {
        SSLEngine engine = context.createSSLEngine(peerName(serverName, host), port);
        engine.setUseClientMode(true);
        engine.setSSLParameters(ServerCertificateCheck.parameters(engine.getSSLParameters(), config.mode(),
                verifiedName(serverName, host)));
        return new SslHandler(engine);
    }

    @Override
    public String sslMode() {
        return switch (config.mode()) {
            case DISABLE -> "disable";
            case PREFER -> "prefer";
            // pgjdbc is told only to insist on TLS; the socket factory verifies as configured.
            case REQUIRE, VERIFY_CA, VERIFY_FULL -> "require";
        };
    }

    @Override
    public SSLSocketFactory socketFactory(ServerAddress server) {
        if (context == null) {
            return null;
        }
        return probeFactories.computeIfAbsent(server.name(), name -> new VerifyingSocketFactory(context.getSocketFactory(),
                config.mode(), verifiedName(name, server.host())));
    }

    /** The peer name an engine is created with: the name verified under verify-full, so SNI and the check agree. */
    private String peerName(String serverName, String host) {
        return config.mode() == ServerTlsConfig.Mode.VERIFY_FULL ? verifiedName(serverName, host) : host;
    }

    @Override
    public String toString() {
        return "ServerTls[" + config.mode().configName() + "]";
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(config.mode());
    }
}
