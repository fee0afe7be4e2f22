package io.pgsplit.proxy.session;

import io.netty.buffer.ByteBuf;
import io.pgsplit.health.ClusterView;
import io.pgsplit.health.Topology;
import io.pgsplit.protocol.ProtocolException;
import io.pgsplit.protocol.SqlState;
import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.proxy.ProxyContext;
import io.pgsplit.proxy.backend.BackendConnection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client session after authentication: the coordinator of {@link SessionParts}, each of which
 * owns one concern, and the receiver of the client's events; its servers' events go to
 * {@link ServerEvents}. It holds the session's {@link SessionPhase} (what it does with its servers; the
 * diagram is there) and, through {@link SessionWaits}, its {@link Suspension} (why it stopped
 * reading), and moves them on only at the events below, all on the session's event loop, so nothing
 * needs a lock. It knows nothing of Netty's channels: the client is a {@link SessionIo}, the servers
 * are connections lent by {@link ConnectionLeases}.
 *
 * <pre>
 *  client bytes ─▶ RequestBuffer ─▶ request ─▶ RequestRouter ─┬─ answered here (errors, SET/SHOW pgsplit.*)
 *                                                             ├─ waits: CLASSIFYING, CONNECTING, DRAINING, fences
 *                                                             └─ RequestSender ─▶ server
 *  server replies ─▶ BackendHandler ─▶ ServerEvents.onServerMessages ─▶ client
 *                                  └─▶ ServerEvents.onReadyForQuery ─▶ transaction, session effects, fence, phase, lease back
 * </pre>
 */
public final class SessionMachine implements SessionWaits.Host {
    private static final Logger log = LoggerFactory.getLogger(SessionMachine.class);

    private final ClusterView cluster;
    private final Runnable onClosed;
    private final RoutePlanner planner;
    private final SessionParts parts;
    private final ServerEvents serverEvents;
    private final RequestRouter router;
    private final Map<String, String> knownParameters;

    private SessionPhase phase = SessionPhase.IDLE;
    private boolean driving;
    private boolean shuttingDown;

    /** @param onClosed run once when the session ends, e.g. to leave the proxy's session registry */
    public SessionMachine(ProxyContext context, ClusterView cluster, SessionIo io, ConnectionSource source, String user,
                          Map<String, String> startupParameters, Runnable onClosed) {
        this.cluster = cluster;
        this.onClosed = onClosed;
        this.planner = new RoutePlanner(context.replicaSelector());
        this.serverEvents = new ServerEvents(this, cluster, new QueryTimings(context.metrics(), context.latencies()));
        this.parts = SessionParts.create(this, serverEvents, context, cluster, io, source, user, startupParameters, planner);
        this.router = new RequestRouter(context, cluster, new RouteDecider(planner), parts);
        this.knownParameters = context.serverParameters().known(user, startupParameters.getOrDefault("database", user));
    }

    /**
     * Opens the first server connection — the primary, or, with none known, a pooled replica — so the
     * client gets real ParameterStatus values and a real error for a bad database. Completes on the
     * session's loop with the values to report.
     */
    public CompletableFuture<Map<String, String>> openFirstServer(Map<String, String> startupParameters) {
        return FirstServer.open(planner, parts.leases(), cluster.topology(), startupParameters, knownParameters);
    }

    SessionPhase phase() {
        return phase;
    }

    /** The one way the phase changes. */
    void enter(SessionPhase next) {
        phase = next;
    }

    SessionParts parts() {
        return parts;
    }

    /** What the session's servers report to: every connection it is lent is attached to this. */
    ServerEvents serverEvents() {
        return serverEvents;
    }

    @Override
    public boolean isClosed() {
        return phase == SessionPhase.CLOSED;
    }

    // ---------------------------------------------------------------- client events

    /** Bytes from the client; takes ownership. Servers are flushed at the end of the read ({@link #onClientReadComplete}). */
    public void onClientData(ByteBuf data) {
        if (isClosed()) {
            data.release();
            return;
        }
        try {
            parts.requests().append(parts.io().alloc(), data);
            drive();
            updateClientReading();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** The end of one read from the client: what went to servers goes out as one write each. */
    public void onClientReadComplete() {
        parts.sender().flush();
        parts.replies().flush();
    }

    public void onClientWritabilityChanged(boolean writable) {
        if (isClosed()) {
            return; // a closing client turns unwritable; a connection still being reset must read its answers
        }
        parts.leases().setAutoRead(writable);
    }

    public void onClientClosed() {
        close();
    }

    /** Routes and sends complete requests until the data runs out or the session must wait. */
    void drive() {
        if (driving) {
            return; // re-entered from a callback inside a send; the outer loop carries on
        }
        driving = true;
        try {
            while (parts.waits().running() && !isClosed()) {
                Segment retried = parts.retry().pending();
                Segment next = retried != null ? retried : parts.requests().next(parts.statements().byName());
                if (next == null || !step(next)) {
                    break;
                }
                if (next == retried) {
                    parts.retry().resent();
                } else {
                    parts.requests().finished();
                }
            }
        } catch (ProtocolException e) {
            terminate(e.sqlState(), e.getMessage());
        } finally {
            driving = false;
        }
    }

    /** A wait ended, or a server event made room: route on, then flush what that produced. */
    @Override
    public void resumed() {
        drive();
        parts.sender().flush();
        parts.replies().flush();
        updateClientReading();
    }

    /** Reads from the client only when it can act on it, every live server takes bytes and the budget has room. */
    void updateClientReading() {
        boolean wanted = parts.waits().running() && !isClosed() && !parts.leases().holdsBackClient();
        parts.io().reading(parts.claim().settle(parts.requests().bytesNeeded(), wanted) && wanted);
    }

    /** Returns true when the request is dealt with, false when the session must wait. */
    private boolean step(Segment s) {
        switch (s.end) {
            case TERMINATE -> {
                parts.requests().drop(s);
                close();
                return true;
            }
            case COPY -> {
                Lease lease = phase.lease();
                if (lease != null && lease.connection().owesClient()) {
                    parts.sender().forwardCopyData(s, lease);
                } else {
                    parts.requests().drop(s); // no COPY under way: PostgreSQL ignores it too
                }
                return true;
            }
            default -> {
                return router.route(s);
            }
        }
    }

    // ---------------------------------------------------------------- cluster, shutdown, cancel, close

    /** Follows the cluster; see {@link ConnectionLeases#follow}. */
    public void onTopologyChanged(Topology topology) {
        if (!isClosed()) {
            parts.leases().follow(topology, phase.lease(), parts.transaction().status() != TransactionStatus.IDLE);
        }
    }

    /** The session just became idle ({@link ServerEvents}): a pending smart shutdown closes it now. */
    void idleAgain() {
        if (shuttingDown && phase == SessionPhase.IDLE) {
            closeForShutdown();
        }
    }

    /** An idle session is closed now; one inside a transaction or a group as soon as that ends (smart shutdown). */
    public void shutdownWhenIdle() {
        shuttingDown = true;
        if (phase.lease() == null && !(phase instanceof SessionPhase.Discarding)) {
            closeForShutdown();
        }
    }

    /** The shutdown timeout passed: close whatever the session is doing. */
    public void closeForShutdown() {
        closeWithFatal(SqlState.ADMIN_SHUTDOWN, "terminating connection due to administrator command");
    }

    /**
     * Nothing in flight and no transaction, as the client sees it: a group the proxy refused, waiting
     * for its Sync, counts as idle; a transaction whose server was lost (BROKEN), or a session pgsplit
     * stopped reading for room in the buffer budget, does not.
     */
    public boolean isIdle() {
        return phase.idleToClient() && parts.waits().running() && parts.retry().pending() == null
                && !parts.claim().waiting();
    }

    /** limits.client_idle_timeout passed while idle: FATAL 57P05, the wording of PostgreSQL's idle_session_timeout. */
    public void closeIdle() {
        closeWithFatal(SqlState.IDLE_SESSION_TIMEOUT, "terminating connection due to idle-session timeout");
    }

    private void closeWithFatal(String sqlState, String message) {
        if (isClosed()) {
            return;
        }
        parts.replies().fatal(sqlState, message);
        parts.replies().flush();
        close();
    }

    /** The connection a CancelRequest for this session must reach: the one running its work, if any. */
    public BackendConnection cancelTarget() {
        return phase.cancelTarget();
    }

    /** A bug in the session, wherever it surfaced (a client read, a server reply, a completion): never a hang. */
    @Override
    public void failed(RuntimeException error) {
        log.warn("client {}: internal error, closing the session", parts.io().peer(), error);
        terminate(SqlState.INTERNAL_ERROR, "pgsplit: internal error: " + error);
    }

    void terminate(String sqlState, String message) {
        log.debug("client {}: {}", parts.io().peer(), message);
        parts.replies().fatal(sqlState, message);
        parts.io().flush();
        close();
    }

    public void close() {
        if (isClosed()) {
            return;
        }
        phase = SessionPhase.CLOSED;
        parts.waits().cancel();
        parts.requests().release();
        parts.claim().close();
        parts.retry().release(parts.requests());
        parts.leases().closeAll(parts.effects().state().isPinned());
        onClosed.run();
        parts.io().close();
    }
}
