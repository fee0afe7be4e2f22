package io.pgsplit.proxy.auth;

import io.pgsplit.protocol.auth.ScramSha256Server;
import io.pgsplit.protocol.auth.ScramVerifiers;
import io.pgsplit.proxy.config.AuthType;
import io.pgsplit.proxy.config.UserConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Picks the password exchange for a client from the configured method and the user's entry.
 *
 * <p>SCRAM verifiers are derived once per user here (4096 PBKDF2 rounds), never per connection on an
 * event loop. Unknown users get a mock verifier whose salt is a keyed hash of the name, stable across
 * attempts like PostgreSQL's mock authentication, so probing for user names learns nothing.
 */
public final class ClientAuthExchanges {
    private static final String SCRAM_VERIFIER_PREFIX = "SCRAM-SHA-256$";

    private final SecureRandom random = new SecureRandom();
    private final Map<String, String> verifiers;
    private final byte[] mockSecret = new byte[32];

    public ClientAuthExchanges(List<UserConfig> users) {
        random.nextBytes(mockSecret);
        this.verifiers = users.stream().collect(Collectors.toUnmodifiableMap(UserConfig::name, this::verifierOf));
    }

    private String verifierOf(UserConfig user) {
        return user.password().startsWith(SCRAM_VERIFIER_PREFIX)
                ? user.password()
                : ScramVerifiers.create(user.password(), random);
    }

    public ClientAuthExchange forUser(AuthType method, String userName, Optional<UserConfig> user) {
        String password = user.map(UserConfig::password).orElse(null);
        return switch (method) {
            case SCRAM_SHA_256 -> new ScramExchange(
                    ScramSha256Server.forVerifier(user.isPresent() ? verifiers.get(userName) : mockVerifier(userName), random),
                    user.isPresent());
            case MD5 -> new Md5Exchange(userName, password, salt());
            case PLAIN -> new CleartextExchange(password);
        };
    }

    private String mockVerifier(String userName) {
        Function<Integer, String> randomKey = length -> {
            byte[] key = new byte[length];
            random.nextBytes(key);
            return Base64.getEncoder().encodeToString(key);
        };
        byte[] salt = new byte[16];
        System.arraycopy(keyedHash(userName), 0, salt, 0, salt.length);
        return SCRAM_VERIFIER_PREFIX + "4096:" + Base64.getEncoder().encodeToString(salt)
                + "$" + randomKey.apply(32) + ":" + randomKey.apply(32);
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
