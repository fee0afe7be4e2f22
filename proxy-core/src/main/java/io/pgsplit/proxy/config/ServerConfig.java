package io.pgsplit.proxy.config;

import java.util.Objects;
import java.util.Optional;

/**
 * A PostgreSQL backend. Whether it is the primary or a replica is discovered by health checks, never configured.
 *
 * @param tlsName the name its certificate must carry under {@code server_tls.mode: verify-full}; default the host
 */
public record ServerConfig(String name, String host, int port, Optional<String> tlsName) {

    public ServerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tlsName, "tlsName");
    }

    public ServerConfig(String name, String host, int port) {
        this(name, host, port, Optional.empty());
    }

    /** The name checked against the server's certificate. */
    public String verifiedName() {
        return tlsName.orElse(host);
    }
}
