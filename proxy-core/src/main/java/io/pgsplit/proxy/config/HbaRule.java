package io.pgsplit.proxy.config;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One {@code hba} entry, read like a pg_hba.conf line: the first rule whose connection type, database, user and
 * address match a client decides its authentication method.
 *
 * @param databases empty for {@code all}
 * @param users     empty for {@code all}
 * @param address   null for {@code all}
 */
public record HbaRule(ConnectionType type, Set<String> databases, Set<String> users, Cidr address, AuthMethod method) {

    /** {@code host}: any TCP connection; {@code hostssl}: TLS only; {@code hostnossl}: plaintext only. */
    public enum ConnectionType {
        HOST, HOSTSSL, HOSTNOSSL;

        static ConnectionType fromConfigName(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "host" -> HOST;
                case "hostssl" -> HOSTSSL;
                case "hostnossl" -> HOSTNOSSL;
                default -> throw new IllegalArgumentException("must be one of host, hostssl, hostnossl (got '" + text + "')");
            };
        }

        boolean admits(boolean tls) {
            return this == HOST || (this == HOSTSSL) == tls;
        }
    }

    public HbaRule {
        Objects.requireNonNull(type, "type");
        databases = Set.copyOf(databases);
        users = Set.copyOf(users);
        Objects.requireNonNull(method, "method");
    }

    public boolean matches(boolean tls, String database, String user, java.net.InetAddress client) {
        return type.admits(tls)
                && (databases.isEmpty() || databases.contains(database))
                && (users.isEmpty() || users.contains(user))
                && (address == null || address.contains(client));
    }
}
