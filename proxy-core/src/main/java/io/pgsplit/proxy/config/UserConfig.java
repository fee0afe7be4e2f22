package io.pgsplit.proxy.config;

import java.util.Objects;
import java.util.Optional;

/**
 * A user clients may log in as. The password is either plain text or a PostgreSQL SCRAM verifier
 * ({@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}). An {@code admin} user may take
 * the slots {@code limits.reserved_connections} keeps back, like a PostgreSQL superuser.
 */
public record UserConfig(String name, String password, Optional<Consistency> consistency, boolean admin) {
    static final String SCRAM_VERIFIER_PREFIX = "SCRAM-SHA-256$";

    public UserConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(consistency, "consistency");
    }

    /** A user who is not an admin. */
    public UserConfig(String name, String password, Optional<Consistency> consistency) {
        this(name, password, consistency, false);
    }

    /** A user who reads with the configured default consistency and is not an admin. */
    public UserConfig(String name, String password) {
        this(name, password, Optional.empty());
    }

    public boolean hasScramVerifier() {
        return password.startsWith(SCRAM_VERIFIER_PREFIX);
    }

    /** Masks the password: configs get logged. */
    @Override
    public String toString() {
        return "UserConfig[name=" + name + ", password=***, consistency=" + consistency.map(Consistency::configName).orElse("default") + "]";
    }
}
