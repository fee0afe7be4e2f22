package io.pgsplit.proxy.session;

import io.netty.buffer.ByteBuf;
import io.pgsplit.health.ClusterView;
import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.backend.BackendListener;

/**
 * What a session does when one of its servers speaks: replies go on to the client, a ReadyForQuery
 * settles the transaction, the session's effects, the fence and the phase and may hand the lease
 * back, and a lost connection becomes a retry or the client's error. The client's side is
 * {@link SessionMachine}'s; both run on the session's loop and move the one phase the machine holds.
 */
final class ServerEvents implements BackendListener {
    private final SessionMachine machine;
    private final ClusterView cluster;
    private final QueryTimings timings;

    ServerEvents(SessionMachine machine, ClusterView cluster, QueryTimings timings) {
        this.machine = machine;
        this.cluster = cluster;
        this.timings = timings;
    }

    @Override
    public void onServerMessages(BackendConnection server, ByteBuf messages, boolean answer) {
        if (machine.isClosed()) {
            messages.release();
            return;
        }
        SessionParts parts = machine.parts();
        ByteBuf shown = parts.retry().forClient(server, messages, answer); // a retryable read's preamble waits
        if (shown != null) {
            parts.io().write(shown);
        }
    }

    @Override
    public boolean takesPartialMessages() {
        return true; // the client gets the bytes as they are
    }

    @Override
    public void onReadyForQuery(BackendConnection server, TransactionStatus status, boolean failed) {
        Lease lease = machine.phase().lease();
        if (lease == null || lease.connection() != server) {
            return;
        }
        SessionParts parts = machine.parts();
        try {
            TransactionTracker transaction = parts.transaction();
            boolean settingsChanged = parts.effects().answered(transaction.answered(status), status, failed, server);
            if (server.takeParameterReported() && !settingsChanged && lease.lifetime() == Lease.Lifetime.POOLED) {
                server.markUnseenState("parameter_status"); // a parameter changed that no statement of this client's changed
            }
            if (lease.isPrimary() && !server.owesClient() && parts.fence().takeAskAfterReadyForQuery()) {
                parts.sender().askWalPosition(server);
                server.flush();
            }
            if (server.owesClient()) {
                working(lease, transaction.isOpen() || server.pendingGroupOpen());
                return;
            }
            parts.leases().activityEnded(lease);
            timings.answered(lease, parts.sender().groupStartedNanos());
            transaction.settled();
            parts.catalogChanges().settled(status);
            if (status == TransactionStatus.IDLE) {
                becomeIdle(parts, lease);
            } else {
                working(lease, true);
            }
            parts.waits().drained();
        } catch (RuntimeException e) {
            machine.failed(e);
        }
    }

    /** {@code lease} serves the session, pipelined behind or tied to it; a group being discarded stays so. */
    private void working(Lease lease, boolean tied) {
        SessionPhase phase = machine.phase();
        SessionPhase next = SessionPhase.working(lease, phase.reason(), tied);
        machine.enter(phase instanceof SessionPhase.Discarding discarding
                ? new SessionPhase.Discarding(discarding.status(), next) : next);
    }

    /** Nothing is owed and no transaction is open: give back a borrowed connection, honour a pending stop. */
    private void becomeIdle(SessionParts parts, Lease lease) {
        parts.transaction().ended();
        machine.enter(machine.phase() instanceof SessionPhase.Discarding discarding
                ? new SessionPhase.Discarding(discarding.status(), SessionPhase.IDLE) : SessionPhase.IDLE);
        if (lease.lifetime() == Lease.Lifetime.POOLED) {
            parts.io().flush(); // the end of this server read may now go to the pool's listener, not to this session
            parts.leases().release(lease, lease.isPrimary() && parts.effects().state().isPinned());
        } else if (cluster.topology().server(lease.serverName()).isEmpty()) {
            parts.io().flush();
            parts.leases().dropPrimary("server removed from the configuration");
        }
        machine.idleAgain();
    }

    @Override
    public void onInjectedValue(BackendConnection server, String value) {
        if (machine.isClosed()) {
            return; // a connection the session still hands back after its end (ConnectionLeases#closeAll)
        }
        try {
            machine.parts().fence().onPosition(value);
            machine.parts().waits().fenceWaitOver();
        } catch (RuntimeException e) {
            machine.failed(e);
        }
    }

    /** A pooled connection kept for this answer (a WAL position, a reset) goes back now. */
    @Override
    public void onInjectedQueryAnswered(BackendConnection server, boolean failed) {
        try {
            machine.parts().leases().injectedQueryAnswered(server, failed);
        } catch (RuntimeException e) {
            machine.failed(e);
        }
    }

    /** A server took the data it had queued (COPY FROM STDIN sends a lot): read from the client again. */
    @Override
    public void onServerWritabilityChanged(BackendConnection server) {
        machine.updateClientReading();
    }

    @Override
    public void onServerReadComplete(BackendConnection server) {
        if (machine.isClosed()) {
            return; // the closed client is never writable again; a connection still being reset must read on
        }
        SessionIo io = machine.parts().io();
        io.flush();
        if (!io.isWritable()) {
            server.setAutoRead(false);
        }
    }

    @Override
    public void onBackendClosed(BackendConnection server, String reason) {
        SessionParts parts = machine.parts();
        try {
            Lease lease = parts.leases().leaseOf(server);
            boolean working = lease != null && lease == machine.phase().lease();
            boolean positionLost = lease != null && lease.isPrimary() && parts.fence().positionLost();
            parts.leases().lost(server);
            if (machine.isClosed() || working && server.leftClientMidMessage()) {
                machine.close(); // the client has part of a message: nothing else can follow it
                return;
            }
            if (working) {
                machine.enter(parts.loss().afterLoss(server, reason, machine.phase()));
                cluster.refreshNow();
                parts.waits().stopDraining();
            }
            if (positionLost) {
                parts.waits().fenceWaitOver(); // reads go to the primary until the next write sets a fence
            }
            if (working && parts.waits().running()) {
                machine.drive(); // the retry (or the client's next request) goes out now, not on the client's next bytes
            }
            parts.sender().flush();
            parts.replies().flush();
            parts.io().flush();
            machine.updateClientReading(); // the lost connection may have been what held the client back
        } catch (RuntimeException e) {
            machine.failed(e);
        }
    }
}
