package io.pgsplit.proxy.config;

/**
 * How long a client holds a primary connection. {@code SESSION}: from its first statement that needs
 * the primary until it disconnects. {@code TRANSACTION}: for one transaction, or one Sync group or
 * simple query outside a transaction, then the connection serves other clients (as PgBouncer's
 * pool_mode = transaction). Replica connections are lent per group or read-only transaction either way.
 */
public enum PoolMode {
    SESSION("session"), TRANSACTION("transaction");

    private final String configName;

    PoolMode(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** Parses {@code session} or {@code transaction} (case-insensitive). */
    public static PoolMode fromConfigName(String value) {
        return ConfigNames.find(values(), PoolMode::configName, value)
                .orElseThrow(() -> new IllegalArgumentException("must be session or transaction"));
    }
}
