package io.pgsplit.proxy.config;

import java.util.Objects;
import java.util.Optional;

/**
 * A user clients may log in as. The password is plain text, a PostgreSQL SCRAM verifier
 * ({@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}) or an md5 hash ({@code md5<32 hex digits>}),
 * as {@code pg_authid.rolpassword} holds them.
 */
public record UserConfig(String name, String password, Optional<Consistency> consistency, Optional<PoolMode> poolMode) {
    static final String SCRAM_VERIFIER_PREFIX = "SCRAM-SHA-256$";

    public UserConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(consistency, "consistency");
        Objects.requireNonNull(poolMode, "poolMode");
    }

    /** A user who reads with the configured default consistency and pools as configured. */
    public UserConfig(String name, String password) {
        this(name, password, Optional.empty(), Optional.empty());
    }

    public boolean hasScramVerifier() {
        return password.startsWith(SCRAM_VERIFIER_PREFIX);
    }

    /** True unless the password is a verifier or a hash, which clients can be checked against but nobody can log in with. */
    public boolean hasPlainTextPassword() {
        return !hasScramVerifier() && !io.pgsplit.protocol.auth.Md5Password.isHash(password);
    }

    /** Masks the password: configs get logged. */
    @Override
    public String toString() {
        return "UserConfig[name=" + name + ", password=***, consistency=" + consistency.map(Consistency::configName).orElse("default") + "]";
    }
}
