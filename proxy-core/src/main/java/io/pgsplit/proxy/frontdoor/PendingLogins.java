package io.pgsplit.proxy.frontdoor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Connections accepted and not yet authenticated, oldest first, bounded by {@code max_pending_logins}.
 *
 * <p>Over the bound the <em>oldest</em> pending connection makes room, rather than the new one being
 * refused. Refusing new ones would let whoever opens connections fastest keep everyone else out for
 * a whole {@code login_timeout}, over and over (the lock-out this limit exists to stop). A real client
 * logs in within a few round trips, so it is almost always among the youngest; to push it out, a
 * flood must bring {@code max_pending_logins} new connections while that one client logs in. Evicting
 * the oldest also bounds memory and descriptors exactly as refusing would.
 *
 * <p>Shared by every event loop; the lock is held for a set operation only.
 */
final class PendingLogins {
    private final LinkedHashSet<LoginAttempt> pending = new LinkedHashSet<>();

    /** Registers a new connection; returns the oldest ones that must make room for it (usually none). */
    synchronized List<LoginAttempt> enter(LoginAttempt login, int max) {
        pending.add(login);
        if (pending.size() <= max) {
            return List.of();
        }
        List<LoginAttempt> evicted = new ArrayList<>(1);
        for (Iterator<LoginAttempt> oldest = pending.iterator(); pending.size() > max && oldest.hasNext(); ) {
            LoginAttempt candidate = oldest.next();
            if (candidate != login) {
                oldest.remove();
                evicted.add(candidate);
            }
        }
        return evicted;
    }

    /** Authenticated or closed; false when it was no longer pending (evicted, or already left). */
    synchronized boolean leave(LoginAttempt login) {
        return pending.remove(login);
    }

    synchronized int size() {
        return pending.size();
    }
}
