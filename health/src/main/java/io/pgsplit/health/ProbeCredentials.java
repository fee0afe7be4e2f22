package io.pgsplit.health;

import java.util.Objects;

/** Login used by the health probes; a pg_monitor member is enough. */
public record ProbeCredentials(String user, String password, String database) {

    public ProbeCredentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(database, "database");
    }

    /** Keeps the password out of logs. */
    @Override
    public String toString() {
        return "ProbeCredentials[user=" + user + ", database=" + database + "]";
    }
}
