package io.pgsplit.health;

import java.util.Objects;

/**
 * Login used by the health probes; a pg_monitor member is enough. {@code tls} null leaves pgjdbc's defaults (prefer,
 * without verification); an empty password logs in only where the server asks for none (trust, a client certificate).
 */
public record ProbeCredentials(String user, String password, String database, ProbeTls tls) {

    public ProbeCredentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(database, "database");
    }

    public ProbeCredentials(String user, String password, String database) {
        this(user, password, database, null);
    }

    /** Keeps the password out of logs. */
    @Override
    public String toString() {
        return "ProbeCredentials[user=" + user + ", database=" + database + (tls == null ? "" : ", tls=" + tls) + "]";
    }
}
