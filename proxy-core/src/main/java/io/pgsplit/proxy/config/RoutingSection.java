package io.pgsplit.proxy.config;

import io.pgsplit.router.RouterSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Reads {@code routing}: which function calls make a statement a write, the catalog, classifier tuning, replica choice. */
final class RoutingSection {
    private static final Set<String> KEYS = Set.of(
            "write_functions", "extra_write_functions", "classifier_cache_size", "parse_timeout", "catalog",
            "catalog_refresh", "replica_policy", "replica_affinity");
    /** A function name without whitespace, optionally ending in {@code *} for a prefix match. */
    private static final Pattern FUNCTION_PATTERN = Pattern.compile("[^\\s*]+\\*?|\\*");
    private static final Function<String, String> FUNCTION_NAME = Scalars.requiring(
            text -> text.trim().toLowerCase(Locale.ROOT),
            name -> FUNCTION_PATTERN.matcher(name).matches(),
            "must be a function name, optionally ending in * to match by prefix");

    private RoutingSection() {
    }

    static RoutingConfig read(ConfigNode routing) throws ConfigException {
        routing.requireMapping(KEYS);
        ConfigNode replacement = routing.get("write_functions");
        Set<String> writeFunctions = new LinkedHashSet<>(replacement.isPresent()
                ? functionNames(replacement)
                : new TreeSet<>(RouterSettings.DEFAULT_WRITE_FUNCTIONS));
        writeFunctions.addAll(functionNames(routing.get("extra_write_functions")));
        return new RoutingConfig(
                List.copyOf(writeFunctions),
                routing.get("classifier_cache_size").asOr(Scalars.integerBetween(0, Integer.MAX_VALUE), 10_000),
                routing.get("parse_timeout").asOr(Scalars.positiveDuration(), Duration.ofSeconds(1)),
                routing.get("catalog").asOr(Scalars::onOff, true),
                routing.get("catalog_refresh").asOr(Scalars.positiveDuration(), RoutingConfig.DEFAULT_CATALOG_REFRESH),
                routing.get("replica_policy").asOr(ReplicaPolicy::fromConfigName, ReplicaPolicy.ROUND_ROBIN),
                routing.get("replica_affinity").asOr(ReplicaAffinity::fromConfigName, ReplicaAffinity.STATEMENT));
    }

    private static List<String> functionNames(ConfigNode list) throws ConfigException {
        List<String> names = new ArrayList<>();
        for (ConfigNode entry : list.elements()) {
            names.add(entry.as(FUNCTION_NAME));
        }
        return names;
    }
}
