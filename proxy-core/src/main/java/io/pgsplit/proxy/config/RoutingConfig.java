package io.pgsplit.proxy.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * @param writeFunctions       lower-case function names whose call makes a statement a write; a trailing {@code *}
 *                             matches by prefix
 * @param classifierCacheSize  how many statement classifications are cached
 * @param parseTimeout         statements that take longer to parse are sent to the primary
 * @param catalog              whether function calls are judged by the database's catalog (else by the deny-list only)
 * @param catalogRefresh       how often the catalog of every database is read again
 * @param replicaPolicy        how a read picks its replica
 * @param replicaAffinity      whether a session's reads keep the replica the policy gave its first one
 */
public record RoutingConfig(List<String> writeFunctions, long classifierCacheSize, Duration parseTimeout,
                            boolean catalog, Duration catalogRefresh, ReplicaPolicy replicaPolicy,
                            ReplicaAffinity replicaAffinity) {

    public static final Duration DEFAULT_CATALOG_REFRESH = Duration.ofSeconds(60);

    public RoutingConfig {
        writeFunctions = List.copyOf(writeFunctions);
        Objects.requireNonNull(parseTimeout, "parseTimeout");
        Objects.requireNonNull(catalogRefresh, "catalogRefresh");
        Objects.requireNonNull(replicaPolicy, "replicaPolicy");
        Objects.requireNonNull(replicaAffinity, "replicaAffinity");
    }

    public RoutingConfig(List<String> writeFunctions, long classifierCacheSize, Duration parseTimeout) {
        this(writeFunctions, classifierCacheSize, parseTimeout, true, DEFAULT_CATALOG_REFRESH, ReplicaPolicy.ROUND_ROBIN,
                ReplicaAffinity.STATEMENT);
    }

    /** Whether a classifier built for {@code other} classifies as one built for this would. */
    public boolean sameClassifier(RoutingConfig other) {
        return writeFunctions.equals(other.writeFunctions) && classifierCacheSize == other.classifierCacheSize
                && parseTimeout.equals(other.parseTimeout);
    }
}
