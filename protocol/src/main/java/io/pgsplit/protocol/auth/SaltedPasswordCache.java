package io.pgsplit.protocol.auth;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers SCRAM SaltedPassword values (PBKDF2 with the server's salt and iteration count), so a
 * client that logs in to the same server as the same role again — as a proxy does for every new
 * server connection — pays the 4096 HMAC rounds once, not per connection. The salt is fixed per
 * role until its password changes, and a changed salt is simply a new entry. Bounded: when full it
 * starts over.
 */
public final class SaltedPasswordCache {
    private final int maxEntries;
    private final Map<Key, byte[]> entries = new ConcurrentHashMap<>();

    private record Key(String password, byte[] salt, int iterations) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.iterations == iterations && key.password.equals(password)
                    && Arrays.equals(key.salt, salt);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * password.hashCode() + Arrays.hashCode(salt)) + iterations;
        }
    }

    public SaltedPasswordCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** True when {@link #saltedPassword} would answer without deriving anything. */
    public boolean contains(String password, byte[] salt, int iterations) {
        return entries.containsKey(new Key(password, salt, iterations));
    }

    byte[] saltedPassword(String password, byte[] salt, int iterations) {
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        return entries.computeIfAbsent(new Key(password, salt.clone(), iterations),
                key -> ScramCrypto.saltedPassword(key.password(), key.salt(), key.iterations())).clone();
    }
}
