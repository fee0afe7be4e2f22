package io.pgsplit.proxy.pool;

import java.time.Duration;

/** Every connection the limit allows to a server stayed busy for the whole acquire timeout (the client gets 53300). */
public final class PoolTimeoutException extends Exception {

    /** No stack trace: this is an expected outcome under load, not a bug, and it may happen often. */
    public PoolTimeoutException(String serverName, Duration waited, String limitKey, int maxPerServer) {
        super("pgsplit: no connection to server " + serverName + " became free within " + waited.toMillis()
                + " ms (" + limitKey + "=" + maxPerServer + ")", null, false, false);
    }
}
