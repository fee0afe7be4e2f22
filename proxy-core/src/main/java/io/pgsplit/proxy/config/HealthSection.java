package io.pgsplit.proxy.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads {@code health}: probe timing, replica lag limits and the login used for probes. */
final class HealthSection {
    private static final Set<String> KEYS = Set.of(
            "interval", "timeout", "fall", "rise", "max_replica_lag", "user", "password", "database");

    private HealthSection() {
    }

    /** @param clientCertificate whether server_tls presents a client certificate, which can log the probes in instead */
    static HealthConfig read(ConfigNode health, List<UserConfig> users, boolean clientCertificate) throws ConfigException {
        health.requireMapping(KEYS);
        ReplicaLagLimits lag = ReplicaLagLimits.read(health.get("max_replica_lag"));
        String user = health.get("user").asOr(Scalars::nonEmpty, users.get(0).name());
        return new HealthConfig(
                health.get("interval").asOr(Scalars.positiveDuration(), Duration.ofMillis(500)),
                health.get("timeout").asOr(Scalars.positiveDuration(), Duration.ofSeconds(1)),
                health.get("fall").asOr(Scalars.integerBetween(1, Integer.MAX_VALUE), 3),
                health.get("rise").asOr(Scalars.integerBetween(1, Integer.MAX_VALUE), 2),
                lag.bytes(),
                lag.time(),
                user,
                password(health.get("password"), user, users, clientCertificate),
                health.get("database").asOr(Scalars::nonEmpty, "postgres"));
    }

    /**
     * Without an explicit password, probes log in with the password of the matching {@code users} entry. The probes
     * run pgjdbc, which needs the plain text: a verifier or an md5 hash cannot log them in. With a client certificate
     * in server_tls the servers can authenticate the probe user by it (pg_hba method cert), and no password is needed.
     */
    private static String password(ConfigNode password, String user, List<UserConfig> users, boolean clientCertificate)
            throws ConfigException {
        if (password.isPresent()) {
            String value = password.as(Scalars::nonEmpty);
            if (!new UserConfig(user, value).hasPlainTextPassword()) {
                throw password.error("must be the plain-text password: the probes log in with pgjdbc, which cannot use a "
                        + "SCRAM verifier or an md5 hash (for a setup without plain text, give server_tls a client "
                        + "certificate and let the servers authenticate the probe user with pg_hba method cert)");
            }
            return value;
        }
        UserConfig login = users.stream().filter(candidate -> candidate.name().equals(user)).findFirst().orElse(null);
        if (login != null && login.hasPlainTextPassword()) {
            return login.password();
        }
        if (clientCertificate) {
            return "";
        }
        throw password.error(login == null ? "is required because health user '" + user + "' is not in users"
                : "is required because user '" + user + "' is configured with a SCRAM verifier or md5 hash, which cannot "
                        + "be used to log in (or give server_tls a client certificate the servers accept for it)");
    }

    /** {@code max_replica_lag} takes a size, a duration, or a list holding one of each. */
    private record ReplicaLagLimits(long bytes, Optional<Duration> time) {

        static ReplicaLagLimits read(ConfigNode node) throws ConfigException {
            long bytes = HealthConfig.NO_LAG_LIMIT;
            Optional<Duration> time = Optional.empty();
            for (ConfigNode limit : node.oneOrMany()) {
                String text = limit.text();
                // A bare number reads as a size: byte lag is the limit operators set most.
                if (Scalars.isSize(text)) {
                    if (bytes != HealthConfig.NO_LAG_LIMIT) {
                        throw limit.error("repeats the size limit; give at most one size and one duration");
                    }
                    bytes = limit.as(Scalars::size);
                } else if (Scalars.isDuration(text)) {
                    if (time.isPresent()) {
                        throw limit.error("repeats the time limit; give at most one size and one duration");
                    }
                    time = Optional.of(limit.as(Scalars::duration));
                } else {
                    throw limit.error("must be a size like 16MB or a duration like 5s (got '" + text + "')");
                }
            }
            return new ReplicaLagLimits(bytes, time);
        }
    }
}
