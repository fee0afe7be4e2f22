package io.pgsplit.proxy.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code users}: the logins clients may use, each with a plain-text password, a SCRAM verifier or an md5 hash
 * as pg_authid stores them.
 */
final class UsersSection {
    private static final Set<String> KEYS = Set.of("name", "password", "consistency", "pool_mode");
    private static final String BASE64 = "[A-Za-z0-9+/]+={0,2}";
    private static final Pattern SCRAM_VERIFIER = Pattern.compile(
            Pattern.quote(UserConfig.SCRAM_VERIFIER_PREFIX) + "\\d+:" + BASE64 + "\\$" + BASE64 + ":" + BASE64);

    private UsersSection() {
    }

    static List<UserConfig> read(ConfigNode users) throws ConfigException {
        List<ConfigNode> entries = users.elements();
        if (entries.isEmpty()) {
            throw users.error("must list at least one user");
        }
        Set<String> names = new HashSet<>();
        List<UserConfig> result = new ArrayList<>(entries.size());
        for (ConfigNode entry : entries) {
            entry.requireMapping(KEYS);
            ConfigNode passwordNode = entry.get("password");
            UserConfig user = new UserConfig(entry.get("name").as(Scalars::nonEmpty), passwordNode.as(Scalars::nonEmpty),
                    entry.get("consistency").asOptional(Consistency::fromConfigName),
                    entry.get("pool_mode").asOptional(PoolMode::fromConfigName));
            if (!names.add(user.name())) {
                throw entry.get("name").error("duplicate user name '" + user.name() + "'");
            }
            if (user.hasScramVerifier()) {
                checkVerifier(passwordNode, user);
            }
            result.add(user);
        }
        return result;
    }

    private static void checkVerifier(ConfigNode passwordNode, UserConfig user) throws ConfigException {
        if (!SCRAM_VERIFIER.matcher(user.password()).matches()) {
            throw passwordNode.error("is not a valid SCRAM verifier; expected "
                    + UserConfig.SCRAM_VERIFIER_PREFIX + "<iterations>:<salt>$<StoredKey>:<ServerKey>");
        }
    }
}
