package io.pgsplit.proxy.frontdoor;

import io.pgsplit.proxy.config.LimitsConfig;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code max_client_connections} slots, taken by clients once they have authenticated (a silent
 * or slow connection holds none), with {@code reserved_connections} of them kept for admin users as
 * PostgreSQL keeps superuser_reserved_connections. Shared by every event loop, hence atomic.
 */
final class ClientSlots {
    private final AtomicInteger taken = new AtomicInteger();

    /**
     * Before authentication only a full house refuses, so that no work is spent on a client that
     * cannot get in. The reserve is decided once the user has proven who it is (as in PostgreSQL),
     * so an unauthenticated peer cannot learn which user names are admins.
     */
    Refusal beforeAuthentication(LimitsConfig limits) {
        return taken.get() >= limits.maxClientConnections() ? Refusal.MAX_CLIENT_CONNECTIONS : null;
    }

    /** Takes a slot for an authenticated client, or says why there is none. */
    Refusal take(boolean admin, LimitsConfig limits) {
        int max = limits.maxClientConnections();
        int limit = admin ? max : max - limits.reservedConnections();
        while (true) {
            int now = taken.get();
            if (now >= limit) {
                return now >= max ? Refusal.MAX_CLIENT_CONNECTIONS : Refusal.RESERVED_CONNECTIONS;
            }
            if (taken.compareAndSet(now, now + 1)) {
                return null;
            }
        }
    }

    void release() {
        taken.decrementAndGet();
    }

    int taken() {
        return taken.get();
    }
}
