package io.pgsplit.proxy.metrics;

import io.pgsplit.health.Role;

/** What the connection pools hold for one server, read at scrape (or status) time. */
public interface PooledConnections {
    PooledConnections NONE = (server, role) -> Counts.NONE;

    /**
     * @param lent    connections lent to clients now
     * @param idle    parked in the pools
     * @param opening being opened for a client (their slot is taken; the server is not ready yet)
     * @param waiting clients queued for one
     */
    record Counts(int lent, int idle, int opening, int waiting) {
        static final Counts NONE = new Counts(0, 0, 0, 0);

        Counts plus(Counts other) {
            return new Counts(lent + other.lent, idle + other.idle, opening + other.opening, waiting + other.waiting);
        }
    }

    /** The pool of {@code role}'s connections to {@code server} (primary pools exist in transaction mode). */
    Counts of(String server, Role role);

    /** Both pools together. */
    default Counts of(String server) {
        return of(server, Role.PRIMARY).plus(of(server, Role.REPLICA));
    }
}
