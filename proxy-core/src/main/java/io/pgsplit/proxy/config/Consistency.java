package io.pgsplit.proxy.config;

/**
 * What a session's reads may see. {@code READ_YOUR_WRITES}: never data older than the session's own
 * last commit (reads go only to replicas that have replayed it). {@code EVENTUAL}: any healthy replica.
 */
public enum Consistency {
    READ_YOUR_WRITES("read-your-writes"), EVENTUAL("eventual");

    private final String configName;

    Consistency(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** Parses {@code read-your-writes} or {@code eventual} (case-insensitive). */
    public static Consistency fromConfigName(String value) {
        return ConfigNames.find(values(), Consistency::configName, value)
                .orElseThrow(() -> new IllegalArgumentException("must be read-your-writes or eventual"));
    }
}
