package io.pgsplit.proxy.pool;

import java.time.Duration;

/** Every connection the limit allows to a server stayed busy for the whole acquire timeout (the client gets 53300). */
public final class PoolTimeoutException extends Exception {

    /** No stack trace: this is an expected outcome under load, not a bug, and it may happen often. */
    public PoolTimeoutException(String serverName, Duration waited, int replicaMaxPerServer) {
        super("pgsplit: no connection to server " + serverName + " became free within " + waited.toMillis()
                + " ms (pool.replica_max_per_server=" + replicaMaxPerServer + ")", null, false, false);
    }
}
