package io.pgsplit.proxy.auth;

import io.pgsplit.protocol.auth.ChannelBinding;
import io.pgsplit.protocol.auth.ScramSha256Server;
import io.pgsplit.proxy.config.AuthMethod;
import io.pgsplit.proxy.config.UserConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Picks the password exchange for a client from the method and the user's secret.
 *
 * <p>SCRAM verifiers of plain-text passwords are derived once per user here (4096 PBKDF2 rounds), never per
 * connection on an event loop. Unknown users get a mock verifier whose salt is a keyed hash of the name, stable
 * across attempts like PostgreSQL's mock authentication, so probing for user names learns nothing. As in PostgreSQL,
 * md5 with a SCRAM verifier runs SCRAM, and SCRAM with only an md5 hash fails like a wrong password.
 */
public final class ClientAuthExchanges {
    private final SecureRandom random = new SecureRandom();
    private final Map<String, UserSecret> secrets;
    private final byte[] mockSecret = new byte[32];
    private final Executor slowWork;

    /** @param slowWork where a cleartext password is checked against a verifier */
    public ClientAuthExchanges(List<UserConfig> users, Executor slowWork) {
        random.nextBytes(mockSecret);
        this.slowWork = slowWork;
        this.secrets = users.stream().collect(Collectors.toUnmodifiableMap(UserConfig::name,
                user -> UserSecret.of(user.password(), random)));
    }

    /** The configured secret of {@code user}, if it is in {@code users}. */
    public Optional<UserSecret> configured(String user) {
        return Optional.ofNullable(secrets.get(user));
    }

    /**
     * @param secret  the user's secret, empty for an unknown user (the exchange then fails at its end)
     * @param binding the TLS channel's binding, to offer SCRAM-SHA-256-PLUS; null without TLS
     */
    public ClientAuthExchange forUser(AuthMethod method, String userName, Optional<UserSecret> secret, ChannelBinding binding) {
        UserSecret known = secret.orElse(null);
        return switch (method) {
            case SCRAM_SHA_256 -> scram(userName, known, binding);
            case MD5 -> known instanceof UserSecret.Scram ? scram(userName, known, binding) : new Md5Exchange(userName, known, salt());
            case PASSWORD -> new CleartextExchange(userName, known, slowWork);
            case CERT, TRUST, REJECT -> throw new IllegalArgumentException(method.configName() + " has no password exchange");
        };
    }

    private ClientAuthExchange scram(String userName, UserSecret secret, ChannelBinding binding) {
        String verifier = secret == null ? null : secret.scramVerifier();
        ScramSha256Server server = ScramSha256Server.forVerifier(verifier != null ? verifier : mockVerifier(userName), random);
        if (binding != null) {
            server.offerChannelBinding(binding);
        }
        ServerLogin configuredLogin = secret instanceof UserSecret.Plain ? secret.storedLogin(userName) : null;
        return new ScramExchange(server, verifier != null, configuredLogin);
    }

    private String mockVerifier(String userName) {
        byte[] salt = new byte[16];
        System.arraycopy(keyedHash(userName), 0, salt, 0, salt.length);
        return UserSecret.SCRAM_VERIFIER_PREFIX + "4096:" + Base64.getEncoder().encodeToString(salt)
                + "$" + randomKey() + ":" + randomKey();
    }

    private String randomKey() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private byte[] keyedHash(String userName) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(mockSecret, "HmacSHA256"));
            return mac.doFinal(userName.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private byte[] salt() {
        byte[] salt = new byte[4];
        random.nextBytes(salt);
        return salt;
    }
}
