package io.pgsplit.proxy.session;

import io.pgsplit.health.ClusterView;
import io.pgsplit.health.ServerHealth;
import io.pgsplit.protocol.SqlState;
import io.pgsplit.proxy.backend.BackendListener;
import io.pgsplit.proxy.ProxyContext;
import io.pgsplit.proxy.catalog.SessionCatalog;
import io.pgsplit.proxy.pool.PoolStats;
import io.pgsplit.proxy.state.SessionState;
import io.pgsplit.proxy.state.StartupSettings;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The parts of one session, each owning one concern, built together since they use one another.
 * Reading the list is reading the decomposition: intake, analysis, read-your-writes, server lending,
 * transaction, session state, statements, retry, proxy commands and EXPLAIN (ROUTE), sending, waiting,
 * server loss, telling the routing catalog about routine changes, and the share of the buffer budget.
 */
record SessionParts(SessionMachine machine, SessionIo io, ClientReplies replies, RequestBuffer requests,
                    SegmentAnalyzer analyzer, FenceTracker fence, FenceGate gate, ConnectionLeases leases,
                    TransactionTracker transaction, SessionEffects effects, ClientStatements statements, ReadRetry retry,
                    ProxyCommandResponder commands, RouteExplainer explainer, RequestSender sender, SessionWaits waits,
                    ServerLoss loss, CatalogChanges catalogChanges, BufferClaim claim,
                    Predicate<ServerHealth> poolHasRoom) {

    static SessionParts create(SessionMachine machine, BackendListener serverEvents, ProxyContext context,
                               ClusterView cluster, SessionIo io, ConnectionSource source, String user,
                               Map<String, String> startupParameters, RoutePlanner planner) {
        ClientReplies replies = new ClientReplies(io);
        RequestBuffer requests = new RequestBuffer(new SegmentScanner(context.limits().maxMessageSize(),
                context.maxBufferedRequest()));
        ConnectionLeases leases = new ConnectionLeases(source, serverEvents, context.metrics(), context.config().poolModeFor(user),
                user, startupParameters.getOrDefault("database", user));
        SessionState state = new SessionState(StartupSettings.of(startupParameters));
        String database = startupParameters.getOrDefault("database", user);
        SegmentAnalyzer analyzer = new SegmentAnalyzer(context::classifier, context::sessionCommands, state,
                new SessionCatalog(context.catalogs(), database, user, state.settings()));
        FenceTracker fence = new FenceTracker(context.config().consistencyFor(user));
        Predicate<ServerHealth> poolHasRoom = replica -> poolHasRoom(context, replica);
        FenceGate gate = new FenceGate(fence, cluster, context.metrics(), () -> context.config().consistency().maxWait(),
                System::nanoTime, planner, poolHasRoom);
        TransactionTracker transaction = new TransactionTracker();
        ClientStatements statements = new ClientStatements(
                () -> context.config().pool().maxPreparedStatementsPerConnection());
        SessionEffects effects = new SessionEffects(state, statements, context.metrics(), io.peer());
        ReadRetry retry = new ReadRetry();
        CatalogChanges catalogChanges = new CatalogChanges(context.catalogs(), database);
        RequestSender sender = new RequestSender(io, requests, statements, effects, transaction, fence, retry, leases,
                context.metrics(), catalogChanges);
        RouteExplainer explainer = new RouteExplainer(machine, analyzer, transaction, effects, fence, cluster, planner,
                context::classifier, () -> context.config().consistency().maxWait());
        ProxyCommandResponder commands = new ProxyCommandResponder(io, replies, requests, fence, leases, sender,
                () -> context.config().consistencyFor(user), explainer);
        ServerLoss loss = new ServerLoss(replies, transaction, effects, retry, context.metrics(), io.peer());
        return new SessionParts(machine, io, replies, requests, analyzer, fence, gate, leases, transaction, effects,
                statements, retry, commands, explainer, sender, new SessionWaits(io, machine), loss, catalogChanges,
                new BufferClaim(context.bufferBudget(), io, machine::resumed,
                        message -> machine.terminate(SqlState.OUT_OF_MEMORY, message),
                        () -> context.limits().bufferWaitTimeout()),
                poolHasRoom);
    }

    /** Whether a replica's pool can lend a connection now, or open one. */
    private static boolean poolHasRoom(ProxyContext context, ServerHealth replica) {
        PoolStats pool = context.pools().stats(replica.name());
        return pool.idle() > 0 || pool.lent() + pool.idle() < context.config().pool().replicaMaxPerServer();
    }
}
