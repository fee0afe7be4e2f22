package io.pgsplit.proxy.session;

import io.pgsplit.health.ClusterView;
import io.pgsplit.health.Role;
import io.pgsplit.health.ServerHealth;
import io.pgsplit.health.Topology;
import io.pgsplit.protocol.SqlState;
import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.proxy.ProxyContext;
import io.pgsplit.proxy.pool.PoolTimeoutException;
import io.pgsplit.router.Classification;
import io.pgsplit.router.RouteReason;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes one request, in this order: a group being discarded and a broken transaction are answered
 * here; a request whose replica pool stayed full goes to one with room or gets 53300; {@code SET/SHOW
 * pgsplit.*} and {@code EXPLAIN (ROUTE)} are answered by the session; the statements are analysed (or parsed off the loop); a
 * request in a transaction follows its server (a write in a read-only one is refused); any other
 * passes the read-your-writes gate and the decider. Returns false when the session must wait.
 */
final class RequestRouter {
    private static final Logger log = LoggerFactory.getLogger(RequestRouter.class);

    private final ProxyContext context;
    private final ClusterView cluster;
    private final RouteDecider decider;
    private final Predicate<ServerHealth> poolHasRoom;
    private final SessionParts parts;

    RequestRouter(ProxyContext context, ClusterView cluster, RouteDecider decider, SessionParts parts) {
        this.context = context;
        this.cluster = cluster;
        this.decider = decider;
        this.poolHasRoom = parts.poolHasRoom();
        this.parts = parts;
    }

    boolean route(Segment s) {
        SessionPhase phase = parts.machine().phase();
        if (phase instanceof SessionPhase.Discarding discarding) {
            discard(s, discarding);
            return true;
        }
        if (phase instanceof SessionPhase.Broken broken) {
            parts.machine().enter(SessionPhase.IDLE);
            refuse(s, SqlState.CONNECTION_FAILURE, broken.message(), TransactionStatus.IDLE);
            return true;
        }
        RoutingAttempt attempt = s.attemptIfAny();
        if (attempt != null && attempt.poolTimeout != null && !tryOtherReplicas(s, attempt)) {
            return true; // answered with 53300
        }
        if (ProxyCommandResponder.isProxyCommandRequest(s)) {
            return answerProxyCommands(s, phase);
        }
        AnalysisResult analysis = parts.analyzer().analyze(s);
        if (analysis instanceof PendingParse pending) {
            parts.waits().awaitParse(pending, (parsed, classification) -> parts.analyzer().learn(s, parsed, classification));
            return false;
        }
        if (phase instanceof SessionPhase.Tied tied) {
            return sendTied(s, tied);
        }
        return routeAlone(s, (Analysis) analysis, phase);
    }

    /**
     * That pool stayed full: for a replica's, a replica with a free connection serves the read; with none, and
     * for the primary's (transaction pooling), 53300 — the server is there, its connections are all lent.
     */
    private boolean tryOtherReplicas(Segment s, RoutingAttempt attempt) {
        if (attempt.poolTimeoutOnPrimary || !decider.anyReplicaWithRoom(s, poolHasRoom, cluster.topology())) {
            refuse(s, SqlState.TOO_MANY_CONNECTIONS, attempt.poolTimeout, TransactionStatus.IDLE);
            return false;
        }
        attempt.poolTimeout = null;
        attempt.onlyReplicasWithRoom = true;
        return true;
    }

    /** In order: after earlier requests' replies, and after the position of a commit just made is known. */
    private boolean answerProxyCommands(Segment s, SessionPhase phase) {
        if (phase.lease() != null && phase.lease().connection().owesClient()) {
            parts.waits().drain();
            return false;
        }
        if (parts.fence().awaitingPosition()) {
            parts.waits().awaitPosition();
            return false;
        }
        PendingParse explained = parts.explainer().prepare(s);
        if (explained != null) {
            parts.waits().awaitParse(explained, parts.explainer()::learn);
            return false;
        }
        parts.commands().answer(s, parts.transaction().status());
        return true;
    }

    /** Not tied to a server: the fence gate and the decider choose one. */
    private boolean routeAlone(Segment s, Analysis analysis, SessionPhase phase) {
        Topology topology = cluster.topology();
        Requirement requirement = RouteDecider.requirement(s, analysis.classification(), parts.effects().state().isPinned());
        FenceGate.Gate fenced = parts.gate().check(s, requirement.need() == Requirement.Need.READ, topology);
        if (fenced instanceof FenceGate.WaitForPosition) {
            parts.waits().awaitPosition();
            return false;
        }
        if (fenced instanceof FenceGate.WaitForCatchUp wait) {
            parts.waits().awaitCatchUp(wait);
            return false;
        }
        Predicate<ServerHealth> replicas = RoutePlanner.ALL;
        if (fenced instanceof FenceGate.Open open) {
            replicas = open.replicas();
        } else {
            requirement = Requirement.FENCE;
        }
        Decision decision = decider.decide(s, requirement, replicas, phase, topology);
        if (decision instanceof Decision.Pipeline pipeline) {
            return send(s, pipeline.lease(), pipeline.route().reason(), null);
        }
        if (decision instanceof Decision.Refuse refuse) {
            context.metrics().refused(refuse.refusal().reason());
            refuse(s, refuse.refusal().sqlState(), refuse.refusal().message(), TransactionStatus.IDLE);
            return true;
        }
        if (decision instanceof Decision.Open open) {
            return sendRouted(s, open.route(), requirement);
        }
        parts.waits().drain(); // let the replies drain so the client sees answers in order
        return false;
    }

    /** In a transaction or an unfinished group, everything follows the server already chosen. */
    private boolean sendTied(Segment s, SessionPhase.Tied tied) {
        Classification classification = s.analysis.classification();
        if (tied.lease().role() == Role.REPLICA && classification != null) {
            TransactionTracker.Refusal refusal =
                    parts.transaction().guardReadOnly(classification, tied.lease().connection().owesClient());
            if (refusal != null) {
                if (refusal.countsAsRefusedWrite()) {
                    context.metrics().refused(RouteReason.READ_ONLY_TRANSACTION.label());
                }
                refuse(s, refusal.sqlState(), refusal.message(), TransactionStatus.FAILED);
                return true;
            }
        }
        return send(s, tied.lease(), tied.reason(), null);
    }

    private boolean sendRouted(Segment s, Route.ToServer to, Requirement requirement) {
        Lease lease = parts.leases().ready(to.server(), to.role());
        if (lease == null) {
            // The common case: an idle pooled connection is lent at once, with no wait and no pause of the client.
            lease = parts.leases().borrowIdle(to.server(), to.role());
            if (lease != null) {
                lease.connection().setAutoRead(parts.io().isWritable());
            }
        }
        if (lease == null) {
            connectFor(s, to);
            return false;
        }
        RoutingAttempt attempt = s.attemptIfAny();
        if (attempt != null) {
            attempt.chosen = null;
        }
        return send(s, lease, to.reason(), requirement);
    }

    private boolean send(Segment s, Lease lease, String reason, Requirement routedAlone) {
        SessionMachine machine = parts.machine();
        machine.enter(parts.sender().send(s, lease, reason, routedAlone, machine.phase()));
        return true;
    }

    /**
     * Opens the primary connection or borrows a replica one, then routes the request again. A server
     * that refuses is skipped for this request (a read then goes elsewhere); a pool that stays full for
     * the acquire timeout means 53300, unless another replica has room.
     */
    private void connectFor(Segment s, Route.ToServer to) {
        s.attempt().chosen = to;
        parts.waits().awaitConnection(to, parts.leases().open(to.server(), to.role()), (lease, error) -> {
            if (error != null) {
                connectFailed(s.attempt(), to, error);
            } else if (parts.machine().isClosed()) {
                parts.leases().closeAll(parts.effects().state().isPinned());
            } else {
                lease.connection().setAutoRead(parts.io().isWritable());
            }
        });
    }

    private void connectFailed(RoutingAttempt attempt, Route.ToServer to, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        attempt.chosen = null;
        attempt.failedServers.add(to.server().name());
        if (cause instanceof PoolTimeoutException) {
            attempt.poolTimeout = cause.getMessage();
            attempt.poolTimeoutOnPrimary = to.role() == Role.PRIMARY;
        } else {
            log.warn("client {}: could not open a connection to {}: {}", parts.io().peer(), to.server().name(),
                    cause.getMessage());
            cluster.refreshNow();
        }
    }

    /** Answers a request without sending it anywhere, as a server would answer an error. */
    private void refuse(Segment s, String sqlState, String message, TransactionStatus status) {
        parts.requests().drop(s);
        parts.replies().error(sqlState, message);
        if (s.end == Segment.End.READY_FOR_QUERY) {
            parts.replies().readyForQuery(status);
        } else {
            parts.machine().enter(new SessionPhase.Discarding(status, parts.machine().phase()));
        }
    }

    /** After an error, PostgreSQL ignores the rest of the group up to Sync; so does the proxy. */
    private void discard(Segment s, SessionPhase.Discarding discarding) {
        parts.requests().drop(s);
        if (s.end == Segment.End.READY_FOR_QUERY) {
            parts.machine().enter(discarding.then());
            parts.replies().readyForQuery(discarding.status());
        }
    }
}
