package io.pgsplit.proxy.session;

import io.pgsplit.protocol.SqlState;
import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server running the session's work is gone. A read whose answer had not started goes, once,
 * to another server, and the client never knows; otherwise whatever the server owed is answered
 * with an error (never a hang), an open transaction is reported lost on the next request, and the
 * session goes on with its next transaction.
 */
final class ServerLoss {
    private static final Logger log = LoggerFactory.getLogger(ServerLoss.class);

    private final ClientReplies replies;
    private final TransactionTracker transaction;
    private final SessionEffects effects;
    private final ReadRetry retry;
    private final ProxyMetrics metrics;
    private final String peer;

    ServerLoss(ClientReplies replies, TransactionTracker transaction, SessionEffects effects, ReadRetry retry,
               ProxyMetrics metrics, String peer) {
        this.replies = replies;
        this.transaction = transaction;
        this.effects = effects;
        this.retry = retry;
        this.metrics = metrics;
        this.peer = peer;
    }

    /** The phase after {@code lost}, which was serving the session in {@code phase}, closed. */
    SessionPhase afterLoss(BackendConnection lost, String reason, SessionPhase phase) {
        if (retry.canRetry(lost)) {
            retry.retryAfterLoss(lost);
            transaction.reset();
            effects.forgetPending();
            metrics.retried(lost.serverName());
            log.info("client {}: retrying a read elsewhere: lost {}: {}", peer, lost.serverName(), reason);
            return SessionPhase.IDLE;
        }
        return fail(lost, "pgsplit: lost the connection to server " + lost.serverName() + ": " + reason, phase);
    }

    private SessionPhase fail(BackendConnection lost, String message, SessionPhase phase) {
        int owed = lost.readyForQueryOwed();
        boolean inTransaction = transaction.status() != TransactionStatus.IDLE;
        for (int i = 0; i < owed; i++) {
            replies.error(SqlState.CONNECTION_FAILURE, message);
            replies.readyForQuery(TransactionStatus.IDLE);
        }
        SessionPhase next = SessionPhase.IDLE;
        if (lost.pendingGroupOpen()) {
            replies.error(SqlState.CONNECTION_FAILURE, message);
            next = new SessionPhase.Discarding(TransactionStatus.IDLE, SessionPhase.IDLE);
        } else if (owed == 0 && inTransaction) {
            next = new SessionPhase.Broken(message + "; the transaction was rolled back");
        }
        effects.lost(inTransaction);
        transaction.reset();
        if (phase instanceof SessionPhase.Discarding discarding && !(next instanceof SessionPhase.Discarding)) {
            return new SessionPhase.Discarding(discarding.status(), next); // the group being skipped still ends at its Sync
        }
        return next;
    }
}
