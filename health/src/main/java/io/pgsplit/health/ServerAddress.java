package io.pgsplit.health;

import java.util.Objects;

/** A configured PostgreSQL server; {@code name} identifies it in logs, metrics and the topology. */
public record ServerAddress(String name, String host, int port) {

    public ServerAddress {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("server name must not be blank");
        }
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port out of range for " + name + ": " + port);
        }
    }
}
