package io.pgsplit.proxy.auth;

import io.pgsplit.protocol.auth.ChannelBinding;
import java.net.InetAddress;
import java.util.Objects;

/**
 * Who asks to log in, from where and how: what hba rules match on, and what the exchange needs of the TLS channel.
 *
 * @param binding         the channel's tls-server-end-point binding; null without TLS
 * @param certificateName the common name of a verified client certificate; null without one
 */
public record LoginAttempt(String user, String database, InetAddress client, boolean tls, ChannelBinding binding,
                           String certificateName) {

    public LoginAttempt {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(client, "client");
    }

    /** As PostgreSQL words it in its pg_hba messages. */
    String describe() {
        return "host \"" + client.getHostAddress() + "\", user \"" + user + "\", database \"" + database + "\", "
                + (tls ? "SSL encryption" : "no encryption");
    }
}
