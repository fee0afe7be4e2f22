package io.pgsplit.proxy.config;

/**
 * {@code routing.replica_affinity}: how long a replica chosen for a session's read keeps its reads.
 * {@code STATEMENT}: each read (or read-only transaction) is placed afresh by the policy. {@code SESSION}: a
 * session's reads stay on the replica its first read got for as long as that one may serve them (Pgpool-II's
 * default, {@code statement_level_load_balance = off}): its reads never go back in time by moving to a replica
 * that has replayed less, and each replica serves a share of the sessions instead of a share of every one.
 */
public enum ReplicaAffinity {
    STATEMENT("statement"), SESSION("session");

    private final String configName;

    ReplicaAffinity(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static ReplicaAffinity fromConfigName(String value) {
        return ConfigNames.find(values(), ReplicaAffinity::configName, value)
                .orElseThrow(() -> new IllegalArgumentException("must be statement or session"));
    }
}
