package io.pgsplit.proxy.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code hba}: pg_hba.conf-style rules, in order. {@code database} and {@code user} take {@code all}, a name,
 * or a comma-separated list of names; {@code address} takes {@code all} or a CIDR range.
 */
final class HbaSection {
    private static final Set<String> KEYS = Set.of("type", "database", "user", "address", "method");

    private HbaSection() {
    }

    /** Empty when not configured: every client is then authenticated with {@code auth_type}, as before. */
    static List<HbaRule> read(ConfigNode hba) throws ConfigException {
        List<HbaRule> rules = new ArrayList<>();
        for (ConfigNode entry : hba.elements()) {
            entry.requireMapping(KEYS);
            String address = entry.get("address").asOr(Scalars::nonEmpty, "all").trim();
            rules.add(new HbaRule(
                    entry.get("type").as(HbaRule.ConnectionType::fromConfigName),
                    names(entry.get("database")),
                    names(entry.get("user")),
                    address.equalsIgnoreCase("all") ? null : entry.get("address").as(Cidr::parse),
                    entry.get("method").as(AuthMethod::fromConfigName)));
        }
        return rules;
    }

    private static Set<String> names(ConfigNode node) throws ConfigException {
        Set<String> names = new LinkedHashSet<>();
        for (String name : node.as(Scalars::nonEmpty).split(",")) {
            String trimmed = name.trim();
            if (trimmed.isEmpty()) {
                throw node.error("has an empty name in its list");
            }
            if (trimmed.equals("all")) {
                return Set.of();
            }
            names.add(trimmed);
        }
        return names;
    }
}
