package io.pgsplit.proxy.pool;

import io.pgsplit.health.ServerAddress;
import java.util.Objects;

/** Connections are interchangeable only between clients of the same role and database on the same server. */
public record PoolKey(ServerAddress server, String user, String database) {

    public PoolKey {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(database, "database");
    }
}
