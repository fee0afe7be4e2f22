package io.pgsplit.proxy.session;

import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.proxy.backend.BackendConnection;

/**
 * What the session is doing with its servers. Each state holds exactly what it needs; the machine
 * replaces the state only through the transitions below.
 *
 * <pre>
 *            request routed                          ReadyForQuery, nothing owed,
 *   IDLE ───────────────────────▶ SERVING(lease) ─── no transaction ──────────────▶ IDLE
 *    ▲ ▲                            │      ▲
 *    │ │       BEGIN sent, Flush,   │      │ ReadyForQuery 'I', more owed
 *    │ │       ReadyForQuery T/E    ▼      │
 *    │ └──── ReadyForQuery 'I', ── TIED(lease) ◀── every request follows the lease
 *    │       nothing owed           │
 *    │                              │ server lost with nothing owed in a transaction
 *    │ the next request             ▼
 *    └──── gets 08006 ─────────── BROKEN(message)
 *
 *   any ── the proxy answers an error inside an unfinished group ──▶ DISCARDING(status, then)
 *            ── Sync: ReadyForQuery(status) ──▶ then
 *   any ── client gone, Terminate, shutdown, fatal error ──▶ CLOSED
 * </pre>
 */
sealed interface SessionPhase {
    Idle IDLE = new Idle();
    Closed CLOSED = new Closed();

    /** The lease of the server answering this session, or null. */
    default Lease lease() {
        return null;
    }

    /** The routing label of the requests that follow {@link #lease()}, or null. */
    default String reason() {
        return null;
    }

    /** Nothing in flight as the client sees it: idle, or a group refused outside a transaction waiting for its Sync. */
    default boolean idleToClient() {
        return this == IDLE || this instanceof Discarding discarding
                && discarding.status() == TransactionStatus.IDLE && discarding.then() == IDLE;
    }

    /** The connection a CancelRequest must reach: the one running this phase's work, if any. */
    default BackendConnection cancelTarget() {
        Lease lease = lease();
        return lease != null && lease.connection().owesClient() && lease.connection().key() != null
                ? lease.connection() : null;
    }

    /** After a request went to {@code lease}: tied while a transaction is open or its group waits for Sync. */
    static SessionPhase working(Lease lease, String reason, boolean tied) {
        return tied ? new Tied(lease, reason) : new Serving(lease, reason);
    }

    /** Nothing owed and no transaction open: the next request is routed on its own. */
    record Idle() implements SessionPhase {
    }

    /**
     * {@code lease} still owes replies. A request it can serve as well is pipelined behind them; one
     * that must go elsewhere waits until they drained, so the client sees answers in request order.
     * {@code reason}: the routing label of the requests that follow this lease.
     */
    record Serving(Lease lease, String reason) implements SessionPhase {
    }

    /** A transaction is open on {@code lease}, or its last group ended with Flush: every request follows it. */
    record Tied(Lease lease, String reason) implements SessionPhase {
    }

    /**
     * The proxy answered an error in a group that has not reached its Sync: as PostgreSQL does, the
     * rest of the group is skipped, its Sync answered with ReadyForQuery({@code status}), and the
     * session goes on as {@code then}.
     */
    record Discarding(TransactionStatus status, SessionPhase then) implements SessionPhase {
        @Override
        public Lease lease() {
            return then.lease();
        }

        @Override
        public String reason() {
            return then.reason();
        }
    }

    /** The server of an open transaction was lost while nothing was owed: the next request is told. */
    record Broken(String message) implements SessionPhase {
    }

    /** The client is gone, or the session was closed. */
    record Closed() implements SessionPhase {
    }
}
