package io.pgsplit.proxy.config;

/**
 * {@code routing.replica_policy}: how a read picks its replica among those that may serve it.
 * {@code ROUND_ROBIN}: in turn, by weight. {@code LEAST_BUSY}: the fewest reads in flight from this proxy.
 * {@code LOWEST_LATENCY}: the lowest recent probe and query latency, within a tolerance band.
 */
public enum ReplicaPolicy {
    ROUND_ROBIN("round_robin"), LEAST_BUSY("least_busy"), LOWEST_LATENCY("lowest_latency");

    private final String configName;

    ReplicaPolicy(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static ReplicaPolicy fromConfigName(String value) {
        return ConfigNames.find(values(), ReplicaPolicy::configName, value)
                .orElseThrow(() -> new IllegalArgumentException("must be round_robin, least_busy or lowest_latency"));
    }
}
