package io.pgsplit.proxy.config;

import java.util.Objects;

/**
 * A user clients may log in as. The password is either plain text or a PostgreSQL SCRAM verifier
 * ({@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}).
 */
public record UserConfig(String name, String password) {
    static final String SCRAM_VERIFIER_PREFIX = "SCRAM-SHA-256$";

    public UserConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(password, "password");
    }

    public boolean hasScramVerifier() {
        return password.startsWith(SCRAM_VERIFIER_PREFIX);
    }

    /** Masks the password: configs get logged. */
    @Override
    public String toString() {
        return "UserConfig[name=" + name + ", password=***]";
    }
}
