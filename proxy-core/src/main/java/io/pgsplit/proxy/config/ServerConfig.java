package io.pgsplit.proxy.config;

import java.util.Objects;

/** A PostgreSQL backend. Whether it is the primary or a replica is discovered by health checks, never configured. */
public record ServerConfig(String name, String host, int port) {

    public ServerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
    }
}
