package io.pgsplit.proxy.config;

import java.util.Objects;
import java.util.Optional;

/**
 * A PostgreSQL backend. Whether it is the primary or a replica is discovered by health checks, never configured.
 *
 * @param tlsName the name its certificate must carry under {@code server_tls.mode: verify-full}; default the host
 * @param weight  its share of reads as a replica (round robin, and the tie-break of the other policies); 0 takes it
 *                out of read rotation without removing it
 */
public record ServerConfig(String name, String host, int port, Optional<String> tlsName, int weight) {

    public static final int DEFAULT_WEIGHT = 1;

    public ServerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tlsName, "tlsName");
        if (weight < 0) {
            throw new IllegalArgumentException("weight must be >= 0: " + weight);
        }
    }

    public ServerConfig(String name, String host, int port, Optional<String> tlsName) {
        this(name, host, port, tlsName, DEFAULT_WEIGHT);
    }

    public ServerConfig(String name, String host, int port) {
        this(name, host, port, Optional.empty());
    }

    /** Whether both name the same server at the same address; weights may differ (a reload changes them live). */
    public boolean sameServer(ServerConfig other) {
        return name.equals(other.name) && host.equals(other.host) && port == other.port && tlsName.equals(other.tlsName);
    }

    /** The name checked against the server's certificate. */
    public String verifiedName() {
        return tlsName.orElse(host);
    }
}
