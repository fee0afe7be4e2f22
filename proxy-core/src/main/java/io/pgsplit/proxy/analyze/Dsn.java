package io.pgsplit.proxy.analyze;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A libpq-style connection URI, {@code postgresql://user[:password]@host[:port][/database]}. The password may also
 * come from {@code PGPASSWORD}; the database defaults to the user's name, the port to 5432.
 */
public record Dsn(String user, String password, String host, int port, String database) {

    public Dsn {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
    }

    /** Parses {@code text}; {@code environmentPassword} (PGPASSWORD) is used when the URI carries none. */
    public static Dsn parse(String text, String environmentPassword) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not a connection URI: " + e.getMessage());
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new IllegalArgumentException("a connection URI starts with postgresql://");
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null || userInfo.isEmpty() || uri.getHost() == null) {
            throw new IllegalArgumentException("the URI needs a user and a host: postgresql://user@host:port/database");
        }
        int colon = userInfo.indexOf(':');
        String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        String password = colon < 0 ? environmentPassword : decode(userInfo.substring(colon + 1));
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = path.length() > 1 ? decode(path.substring(1)) : user;
        return new Dsn(user, password, uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), database);
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Keeps the password out of logs. */
    @Override
    public String toString() {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }
}
