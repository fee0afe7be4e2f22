package io.pgsplit.proxy.session;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.frontend.Query;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.backend.Dispatch;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import io.pgsplit.proxy.metrics.RouteMeters;
import io.pgsplit.router.Classification;
import io.pgsplit.router.catalog.SessionRisk;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends a routed request to its lease's connection, preceded by whatever that connection needs to
 * be in line with the client (settings, SQL-prepared and protocol-level statements, all answered
 * invisibly), and tells every part that keeps track what went out: statements, transaction,
 * session effects, the read retry, read-your-writes, the routing catalog, the metrics. Writes are flushed once per
 * client read ({@link #flush}).
 */
final class RequestSender {
    private static final String CURRENT_WAL_POSITION = "SELECT pg_catalog.pg_current_wal_lsn()";

    private final SessionIo io;
    private final RequestBuffer requests;
    private final ClientStatements statements;
    private final SessionEffects effects;
    private final TransactionTracker transaction;
    private final FenceTracker fence;
    private final ReadRetry retry;
    private final ConnectionLeases leases;
    /** The routing counters this session counts on, found again without lookups. */
    private final RouteMeters routeMeters;
    private final CatalogChanges catalogChanges;
    private final List<BackendConnection> unflushed = new ArrayList<>(2);
    private long groupStartedNanos;

    RequestSender(SessionIo io, RequestBuffer requests, ClientStatements statements, SessionEffects effects,
                  TransactionTracker transaction, FenceTracker fence, ReadRetry retry, ConnectionLeases leases,
                  ProxyMetrics metrics, CatalogChanges catalogChanges) {
        this.catalogChanges = catalogChanges;
        this.io = io;
        this.requests = requests;
        this.statements = statements;
        this.effects = effects;
        this.transaction = transaction;
        this.fence = fence;
        this.retry = retry;
        this.leases = leases;
        this.routeMeters = metrics.routeMeters();
    }

    /**
     * Sends {@code s} on {@code lease} and returns the session's phase afterwards. {@code routedAlone}
     * is non-null only for a request routed on its own (not tied or pipelined): only such a read may
     * be retried elsewhere if its server dies first.
     */
    SessionPhase send(Segment s, Lease lease, String reason, Requirement routedAlone, SessionPhase phase) {
        BackendConnection server = lease.connection();
        Analysis analysis = s.analysis;
        Classification classification = analysis.classification();
        String alignment = ServerAlignment.statementsFor(server, effects.state(), analysis.executedStatements());
        ByteBuf injected = alignment == null ? null : new Query(alignment).encode(io.alloc());
        ByteBuf bytes = requests.take(s);
        if (!server.owesClient()) {
            groupStartedNanos = System.nanoTime();
            leases.activityStarted(lease);
        }
        if (ReadRetry.allows(s, routedAlone, classification, server)) {
            retry.remember(s, server, bytes);
        }
        dispatch(s, server, injected, bytes);
        markUnflushed(server);
        if (analysis.risk() != SessionRisk.NONE && lease.lifetime() == Lease.Lifetime.POOLED) {
            server.markUnseenState(analysis.risk().label()); // reset before the next client (ConnectionLeases)
        }
        statements.sent(s, server.statements());
        if (classification != null) {
            transaction.sent(classification);
        }
        String followReason = phase.lease() == lease ? phase.reason()
                : TransactionTracker.reasonFor(lease.role(), reason, classification);
        effects.expect(s, analysis);
        catalogChanges.sent(s, classification);
        if (lease.isPrimary() && s.end == Segment.End.READY_FOR_QUERY
                && fence.afterPrimaryGroup(s, classification, transaction.endsWith(classification)) == FenceTracker.Ask.NOW) {
            askWalPosition(server); // flushed with the client's group
        }
        if (s.hasSql()) {
            routeMeters.routed(server.serverName(), lease.role(), followReason);
        }
        return SessionPhase.working(lease, followReason, transaction.isOpen() || server.pendingGroupOpen());
    }

    /** Writes {@code s}'s bytes (owned by this call) to {@code server}, renamed for it if they name statements. */
    private void dispatch(Segment s, BackendConnection server, ByteBuf injected, ByteBuf bytes) {
        boolean endsWithSync = s.end == Segment.End.READY_FOR_QUERY;
        ByteBuf bindHead = statements.heldBindHead(s, bytes, server, io.alloc());
        if (bindHead != null) { // the rest of the Bind and the request follow as the client sent them
            server.send(injected, bindHead, bytes, Dispatch.of(0, 0, 0, s.clientCloses, endsWithSync));
            return;
        }
        StatementRenaming.Renamed renamed = statements.renameFor(s, bytes, server, io.alloc());
        if (renamed == null) {
            server.send(injected, null, bytes, Dispatch.of(0, 0, s.clientParses, s.clientCloses, endsWithSync));
        } else {
            server.send(injected, renamed.prelude(), renamed.client(), new Dispatch(renamed.preludeParses(),
                    renamed.preludeCloses(), renamed.clientParses(), renamed.clientCloses(), endsWithSync, renamed.replies()));
        }
    }

    /** COPY data belongs to the COPY under way on {@code lease}'s connection. */
    void forwardCopyData(Segment s, Lease lease) {
        lease.connection().sendRaw(requests.take(s));
        markUnflushed(lease.connection());
    }

    /** Queues the hidden query whose answer becomes the fence ({@link ServerEvents#onInjectedValue}). */
    void askWalPosition(BackendConnection primary) {
        primary.sendValueQuery(new Query(CURRENT_WAL_POSITION).encode(io.alloc()));
    }

    /** When the group now answered was sent to an idle connection. */
    long groupStartedNanos() {
        return groupStartedNanos;
    }

    private void markUnflushed(BackendConnection server) {
        if (!unflushed.contains(server)) {
            unflushed.add(server);
        }
    }

    /** One write (syscall) per server for everything sent since the last flush. */
    void flush() {
        for (int i = 0; i < unflushed.size(); i++) {
            unflushed.get(i).flush();
        }
        unflushed.clear();
    }
}
