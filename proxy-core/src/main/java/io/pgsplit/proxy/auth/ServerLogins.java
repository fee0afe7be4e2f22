package io.pgsplit.proxy.auth;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What pgsplit presents to the servers per user: the configured secret where that is enough (a password, an md5
 * hash), else what the last successful client login of the user proved (SCRAM keys for a verifier-only or
 * auth_query user). Every connection of that user — its session's primary, pooled replica connections — logs in with
 * it. A learned login is kept with the secret it was proved against, and used only while that is still the user's
 * secret, so a reload that changes a password drops it. Lives across reloads; safe from any thread.
 */
public final class ServerLogins {
    private record Learned(UserSecret provedAgainst, ServerLogin login) {
    }

    private final Map<String, Learned> learned = new ConcurrentHashMap<>();

    /** A client proved {@code secret} for {@code user}; {@code login} is what its proof gives the servers. */
    public void remember(String user, UserSecret secret, ServerLogin login) {
        if (!(login instanceof ServerLogin.None)) {
            learned.put(user, new Learned(secret, login));
        }
    }

    /**
     * @param current the user's secret now (configured or looked up), empty when unknown: then only a login learned
     *                from an auth_query user is used
     */
    public ServerLogin forUser(String user, Optional<UserSecret> current) {
        Learned known = learned.get(user);
        if (current.isPresent()) {
            UserSecret secret = current.get();
            if (known != null && known.provedAgainst().equals(secret)) {
                return known.login();
            }
            return secret.storedLogin(user);
        }
        return known != null ? known.login() : new ServerLogin.None("pgsplit knows no password for user \"" + user + "\"");
    }
}
