package io.pgsplit.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.pgsplit.health.Lsn;
import io.pgsplit.health.Role;
import io.pgsplit.health.ServerHealth;
import io.pgsplit.health.Topology;
import io.pgsplit.protocol.ProtocolException;
import io.pgsplit.protocol.SqlState;
import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.protocol.frontend.Query;
import io.pgsplit.proxy.ProxyContext;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.backend.BackendKey;
import io.pgsplit.proxy.backend.BackendListener;
import io.pgsplit.proxy.backend.BackendStartupException;
import io.pgsplit.proxy.backend.Dispatch;
import io.pgsplit.proxy.commands.ProxyCommand;
import io.pgsplit.proxy.commands.ProxyCommandReplies;
import io.pgsplit.proxy.commands.ProxyCommands;
import io.pgsplit.proxy.config.Consistency;
import io.pgsplit.proxy.netty.InboundBuffer;
import io.pgsplit.proxy.pool.PoolStats;
import io.pgsplit.proxy.pool.PoolTimeoutException;
import io.pgsplit.proxy.state.SessionState;
import io.pgsplit.proxy.state.StartupSettings;
import io.pgsplit.proxy.statements.PreparedStatementDef;
import io.pgsplit.router.Classification;
import io.pgsplit.router.RouteReason;
import io.pgsplit.router.SessionCommand;
import io.pgsplit.router.StatementKind;
import io.pgsplit.router.TransactionControl;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection after authentication, and the server connections it uses.
 *
 * <p>Everything here runs on the client channel's event loop, which the server channels share, so
 * there are no locks. Client bytes are cut into {@link Segment}s; each is routed whole and
 * forwarded as a zero-copy slice. The session is in one of these states:
 *
 * <pre>
 *   FREE ──segment routed──▶ BUSY(server) ──ReadyForQuery 'I', nothing owed──▶ FREE
 *                              │  ▲
 *              'T'/'E', Flush  ▼  │ ReadyForQuery 'I'
 *                           PINNED(server)   (transaction or unfinished group: every segment follows)
 * </pre>
 *
 * While BUSY and not pinned, a segment that would go to another server waits for the replies to
 * drain, so the client sees answers in the order it asked. Waiting for a parse, a connection or a
 * drain stops reading from the client; nothing is dropped. A replica connection is borrowed from
 * the pools when a segment goes to a replica and returned when the session is FREE again.
 */
public final class ClientSession implements BackendListener {
    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    private final ProxyContext context;
    private final Channel client;
    private final EventLoop loop;
    private final String user;
    private final Map<String, String> startupParameters;
    private final BackendKey clientKey;
    private final SegmentScanner scanner;
    private final RoutePlanner planner;
    private final ClientReplies replies;
    private final ServerConnections connections;
    private final SessionState state;
    private final InboundBuffer inbound = new InboundBuffer();
    private final Map<String, PreparedStatementDef> statements = new HashMap<>();
    private final List<BackendConnection> unflushed = new ArrayList<>(2);
    /** Session commands of the groups sent and not yet answered, in order. */
    private final ArrayDeque<GroupEffects> groupEffects = new ArrayDeque<>();
    /** Session commands of a group sent up to a Flush, waiting for the rest of it. */
    private List<SessionCommand> openGroupCommands = new ArrayList<>(0);

    private Segment segment;
    /** A read whose server died before answering, to be sent again elsewhere before anything new. */
    private Segment retrying;
    /** The read in flight that may still be retried: nothing of its answer has reached the client yet. */
    private RetryableRead retryable;
    private long groupStartedNanos;
    private BackendConnection current;
    private Role currentRole;
    private String currentReason;
    private TransactionStatus transactionStatus = TransactionStatus.IDLE;
    private boolean transactionPredicted;
    private boolean readOnlyTransactionFailed;
    private boolean discardUntilSync;
    private String brokenTransaction;
    private TransactionStatus discardStatus = TransactionStatus.IDLE;
    private Wait waiting = Wait.NONE;
    /** Read-your-writes: the WAL position of this session's last commit (or a causal token), 0 when none. */
    private long fence;
    /** The WAL position after a commit has been asked for and not answered yet: reads wait for it. */
    private boolean fencePending;
    /** The last attempt to learn the fence failed: reads go to the primary until a write sets a new one. */
    private boolean fenceUnknown;
    /** A write ran in the transaction still open, so its end gets a fence. */
    private boolean transactionWrote;
    /** A write committed while the session was eventual: switching to read-your-writes must fence it. */
    private boolean wroteUnfenced;
    /** The group that needs a fence started a COPY: the position is asked for after its ReadyForQuery. */
    private boolean fenceAfterReadyForQuery;
    /** The last causal token set with SET pgsplit.min_lsn. */
    private long requiredLsn;
    private Consistency consistency;
    private boolean driving;
    private boolean shuttingDown;
    private boolean closed;

    /** What the session waits for before it reads on; while it waits, client reads are paused. */
    private enum Wait { NONE, CLASSIFICATION, CONNECTION, DRAIN, FENCE }

    public ClientSession(ProxyContext context, Channel client, String user, Map<String, String> startupParameters,
                         BackendKey clientKey) {
        this.context = context;
        this.client = client;
        this.loop = client.eventLoop();
        this.user = user;
        this.startupParameters = startupParameters;
        this.clientKey = clientKey;
        this.scanner = new SegmentScanner(context.limits().maxMessageSize(), context.maxBufferedRequest());
        this.planner = new RoutePlanner(context.replicaRotation());
        this.replies = new ClientReplies(client);
        this.connections = new ServerConnections(context, loop, this, user, startupParameters);
        this.state = new SessionState(StartupSettings.of(startupParameters));
        this.consistency = context.config().consistencyFor(user);
    }

    public BackendKey clientKey() {
        return clientKey;
    }

    public EventLoop eventLoop() {
        return loop;
    }

    public String user() {
        return user;
    }

    // ---------------------------------------------------------------- startup

    /**
     * Opens the first server connection — the primary, or, with none known, a pooled replica — so
     * the client gets real ParameterStatus values and a real error for a bad database, as from
     * PostgreSQL itself. A pooled connection reports neutral values, so the client's own startup
     * values are reported where it gave them.
     */
    public CompletableFuture<Map<String, String>> connectFirstServer() {
        Route route = planner.plan(new Requirement(Requirement.Need.ANY, Requirement.REASON_PROTOCOL), context.topology(), Set.of());
        if (route instanceof Route.Refuse refuse) {
            return CompletableFuture.failedFuture(new BackendStartupException(refuse.message(), (Throwable) null));
        }
        Route.ToServer target = (Route.ToServer) route;
        return connections.open(target.server(), target.role()).thenApply(first -> {
            Map<String, String> parameters = new java.util.LinkedHashMap<>(first.parameters());
            if (!connections.isOwned(first)) {
                parameters.replaceAll((name, value) -> clientValue(name, value));
                connections.returnLent();
            }
            return parameters;
        });
    }

    private String clientValue(String parameter, String serverValue) {
        for (Map.Entry<String, String> given : startupParameters.entrySet()) {
            if (given.getKey().equalsIgnoreCase(parameter)) {
                return given.getValue();
            }
        }
        return serverValue;
    }

    // ---------------------------------------------------------------- client side

    /** Bytes from the client; takes ownership. */
    public void onClientData(ByteBuf data) {
        if (closed) {
            data.release();
            return;
        }
        inbound.append(client.alloc(), data);
        drive();
    }

    /** The end of one read from the client: flush what went to servers as one write each. */
    public void onClientReadComplete() {
        flushServers();
    }

    public void onClientWritabilityChanged(boolean writable) {
        for (BackendConnection backend : connections.all()) {
            backend.setAutoRead(writable);
        }
    }

    public void onClientClosed() {
        close();
    }

    /** Routes and sends complete segments until the data runs out or the session must wait. */
    private void drive() {
        if (driving) {
            return; // re-entered from a callback inside a send; the outer loop carries on
        }
        driving = true;
        try {
            while (waiting == Wait.NONE && !closed) {
                if (retrying != null) {
                    if (!route(retrying)) {
                        break;
                    }
                    retrying = null;
                    continue;
                }
                if (segment == null) {
                    segment = new Segment();
                }
                if (!scanner.scan(inbound.buffer(), segment, statements)) {
                    break;
                }
                if (!handle(segment)) {
                    break;
                }
                segment = null;
            }
        } catch (ProtocolException e) {
            terminateWithError(e.sqlState(), e.getMessage());
            return;
        } finally {
            driving = false;
        }
        if (waiting != Wait.NONE && log.isDebugEnabled()) {
            log.debug("client {}: waits for {} (current {})", client.remoteAddress(), waiting, current);
        }
        flushServers();
        replies.flush();
        updateClientReading();
    }

    /** Reads from the client only when the session can act on what it reads and every live server takes bytes. */
    private void updateClientReading() {
        client.config().setAutoRead(waiting == Wait.NONE && !closed && serversWritable());
    }

    /** Returns true when the segment is dealt with, false when the session must wait. */
    private boolean handle(Segment s) {
        switch (s.end) {
            case TERMINATE -> {
                drop(s);
                close();
                return true;
            }
            case COPY -> {
                forwardCopyMessage(s);
                return true;
            }
            default -> {
                return route(s);
            }
        }
    }

    /** COPY data belongs to the COPY running on the busy server; with none, PostgreSQL ignores it too. */
    private void forwardCopyMessage(Segment s) {
        if (current != null && current.owesClient()) {
            current.sendRaw(take(s));
            markUnflushed(current);
        } else {
            drop(s);
        }
    }

    /** The segment's bytes, now owned by the caller: from the inbound buffer, or the copy kept for a retry. */
    private ByteBuf take(Segment s) {
        if (s.replay != null) {
            ByteBuf bytes = s.replay;
            s.replay = null;
            return bytes;
        }
        return inbound.takeSlice(s.length);
    }

    private void drop(Segment s) {
        if (s.replay != null) {
            s.replay.release();
            s.replay = null;
        } else {
            inbound.skip(s.length);
        }
    }

    private boolean route(Segment s) {
        if (discardUntilSync) {
            discard(s);
            return true;
        }
        if (brokenTransaction != null) {
            refuse(s, SqlState.CONNECTION_FAILURE, brokenTransaction);
            brokenTransaction = null;
            return true;
        }
        if (s.poolTimeout != null) {
            // That replica's pool stayed full: a replica with a free connection serves the read; with none, 53300.
            if (!planner.anyReplica(context.topology(), s.failedServers, this::poolHasRoom)) {
                refuse(s, SqlState.TOO_MANY_CONNECTIONS, s.poolTimeout);
                return true;
            }
            s.poolTimeout = null;
            s.onlyReplicasWithRoom = true;
        }
        if (isProxyCommandRequest(s)) {
            return answerProxyCommands(s);
        }
        if (s.analysis == null) {
            s.analysis = analyze(s);
            if (s.analysis == null) {
                return false; // parsing off the event loop; drive() resumes when it is done
            }
        }
        if (current != null && isPinned()) {
            return sendPinned(s);
        }
        Requirement requirement = requirementFor(s);
        Predicate<ServerHealth> caughtUp = s.onlyReplicasWithRoom ? this::poolHasRoom : RoutePlanner.ALL;
        if (requirement.need() == Requirement.Need.READ && consistency == Consistency.READ_YOUR_WRITES) {
            if (fencePending) {
                waiting = Wait.FENCE; // the position of the commit just made is on its way
                return false;
            }
            if (fence > 0 || fenceUnknown) {
                caughtUp = caughtUp.and(this::hasReplayedFence);
                if (!planner.anyReplica(context.topology(), s.failedServers, caughtUp)) {
                    if (awaitReplicaCatchUp(s)) {
                        return false;
                    }
                    requirement = new Requirement(Requirement.Need.PRIMARY, Requirement.REASON_FENCE);
                } else if (s.fenceWaitStartedNanos != 0) {
                    context.metrics().fenceWait(System.nanoTime() - s.fenceWaitStartedNanos, true);
                    s.fenceWaitStartedNanos = 0;
                }
            }
        }
        if (current != null && current.owesClient()) {
            Optional<Route.ToServer> keep = planner.keep(current.serverName(), requirement, context.topology(), caughtUp);
            if (keep.isPresent()) {
                return send(s, current, keep.get().role(), keep.get().reason(), null);
            }
            waiting = Wait.DRAIN; // let the replies drain so the client sees answers in order
            return false;
        }
        current = null;
        Topology topology = context.topology();
        Route route = s.chosen != null && planner.stillHolds(s.chosen, topology)
                ? s.chosen : planner.plan(requirement, topology, s.failedServers, caughtUp);
        return sendRouted(s, route, requirement);
    }

    private boolean poolHasRoom(ServerHealth replica) {
        PoolStats pool = context.pools().stats(replica.name());
        return pool.idle() > 0 || pool.lent() + pool.idle() < context.config().pool().replicaMaxPerServer();
    }

    private boolean hasReplayedFence(ServerHealth replica) {
        return !fenceUnknown && context.health().replayLsn(replica.name()) >= fence;
    }

    /**
     * No replica has replayed this session's last commit as far as pgsplit knows: fresh replay
     * positions are asked for; with {@code consistency.max_wait} the read waits for them (true),
     * within that limit, else it goes to the primary now (false) and later reads benefit.
     */
    private boolean awaitReplicaCatchUp(Segment s) {
        CompletableFuture<Void> refresh = context.health().refreshReplayPositions();
        Optional<Duration> maxWait = context.config().consistency().maxWait();
        if (maxWait.isEmpty() || fenceUnknown) {
            return false;
        }
        long now = System.nanoTime();
        if (s.fenceWaitStartedNanos == 0) {
            s.fenceWaitStartedNanos = now;
        }
        long waited = now - s.fenceWaitStartedNanos;
        if (waited >= maxWait.get().toNanos()) {
            context.metrics().fenceWait(waited, false);
            s.fenceWaitStartedNanos = 0;
            return false;
        }
        waiting = Wait.FENCE;
        ScheduledFuture<?> deadline = loop.schedule(() -> resume(Wait.FENCE), maxWait.get().toNanos() - waited,
                TimeUnit.NANOSECONDS);
        refresh.whenComplete((done, error) -> loop.execute(() -> {
            deadline.cancel(false);
            resume(Wait.FENCE);
        }));
        return true;
    }

    /** SET/SHOW pgsplit.*: answered here, never sent to a server. Cheap when absent: a word search per statement. */
    private static boolean isProxyCommandRequest(Segment s) {
        // A FunctionCall beside a pgsplit command is no pgsplit command request: it goes to a server (found by fuzzing).
        if (s.functionCall || !s.referenced.isEmpty() || s.queries.isEmpty() && s.parsed.isEmpty()) {
            return false;
        }
        for (String sql : s.queries) {
            if (ProxyCommands.parse(sql).isEmpty()) {
                return false;
            }
        }
        for (PreparedStatementDef def : s.parsed) {
            if (ProxyCommands.parse(def.sql()).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Answers in order: after earlier requests' replies, and after the position of a commit just made is known. */
    private boolean answerProxyCommands(Segment s) {
        if (current != null && current.owesClient()) {
            waiting = Wait.DRAIN;
            return false;
        }
        if (fencePending) {
            waiting = Wait.FENCE;
            return false;
        }
        ByteBuf request = take(s);
        try {
            client.write(ProxyCommandReplies.answer(request, this::execute, transactionStatus, client.alloc()),
                    client.voidPromise());
        } finally {
            request.release();
        }
        replies.written();
        return true;
    }

    private String execute(ProxyCommand command) {
        if (command instanceof ProxyCommand.SetConsistency set) {
            consistency(set.mode() == null ? null : Consistency.fromConfigName(set.mode()));
        } else if (command instanceof ProxyCommand.SetMinLsn min) {
            requireLsn(min.lsn());
        } else if (command instanceof ProxyCommand.Show show) {
            return switch (show.name()) {
                case ProxyCommand.CONSISTENCY -> consistency.configName();
                case ProxyCommand.LAST_LSN -> lastLsn();
                default -> Lsn.format(requiredLsn);
            };
        }
        return null;
    }

    /** A session holding state that cannot be replayed elsewhere is kept on the primary. */
    private Requirement requirementFor(Segment s) {
        Requirement requirement = Requirement.of(s, s.analysis.classification());
        if (state.isPinned() && requirement.need() != Requirement.Need.PRIMARY) {
            return new Requirement(Requirement.Need.PRIMARY, Requirement.REASON_PINNED);
        }
        return requirement;
    }

    private boolean sendRouted(Segment s, Route route, Requirement requirement) {
        if (route instanceof Route.Refuse refuse) {
            context.metrics().refused(refuse.reason());
            refuse(s, refuse.sqlState(), refuse.message());
            return true;
        }
        Route.ToServer to = (Route.ToServer) route;
        BackendConnection backend = connections.ready(to.server(), to.role());
        if (backend == null && to.role() == Role.REPLICA) {
            // The common case: an idle pooled connection is lent at once, with no wait and no pause of the client.
            backend = connections.borrowIdle(to.server());
            if (backend != null) {
                backend.setAutoRead(client.isWritable());
            }
        }
        if (backend == null) {
            s.chosen = to;
            connectFor(s, to);
            return false;
        }
        s.chosen = null;
        return send(s, backend, to.role(), to.reason(), requirement);
    }

    /** In a transaction or an unfinished group, everything follows the server already chosen. */
    private boolean sendPinned(Segment s) {
        Classification classification = s.analysis.classification();
        if (currentRole == Role.REPLICA && classification != null && guardReadOnlyTransaction(s, classification)) {
            return true;
        }
        return send(s, current, currentRole, currentReason, null);
    }

    /**
     * A write inside a read-only transaction on a replica is answered here, the way PostgreSQL
     * would answer it, and never reaches the replica; the transaction then counts as failed until
     * it ends, again as in PostgreSQL.
     */
    private boolean guardReadOnlyTransaction(Segment s, Classification classification) {
        boolean ends = classification.transaction() == TransactionControl.END
                || classification.kinds().stream().allMatch(kind -> kind == StatementKind.TRANSACTION);
        if (readOnlyTransactionFailed && !ends) {
            refuseInTransaction(s, SqlState.IN_FAILED_SQL_TRANSACTION,
                    "current transaction is aborted, commands ignored until end of transaction block");
            return true;
        }
        if (ends) {
            readOnlyTransactionFailed = false;
            return false;
        }
        if (isWrite(classification) && !current.owesClient()) {
            readOnlyTransactionFailed = true;
            context.metrics().refused(RouteReason.READ_ONLY_TRANSACTION.label());
            refuseInTransaction(s, SqlState.READ_ONLY_SQL_TRANSACTION,
                    "cannot execute a write in a read-only transaction");
            return true;
        }
        return false;
    }

    /**
     * Statements a replica would reject as writes. Cursors, prepared statements and unparsed SQL
     * need the primary outside a transaction, but inside a read-only one the replica enforces
     * read-only itself, and they must work there (psycopg2's named cursors DECLARE inside one).
     */
    private static boolean isWrite(Classification classification) {
        return classification.requiresPrimary() && switch (classification.reason()) {
            case WRITE, LOCKING_READ, VOLATILE_FUNCTION -> true;
            default -> false;
        };
    }

    /** A transaction (known or just begun) or a group still open ties every segment to the current server. */
    private boolean isPinned() {
        return transactionStatus != TransactionStatus.IDLE || transactionPredicted || current.pendingGroupOpen();
    }

    // ---------------------------------------------------------------- classification

    /** The segment's statements understood, or null after starting a parse off the loop. */
    private Analysis analyze(Segment s) {
        if (s.queries.isEmpty() && s.parsed.isEmpty() && s.referenced.isEmpty()) {
            return Analysis.NO_SQL;
        }
        List<Classification> parts = new ArrayList<>(2);
        List<SessionCommand> commands = new ArrayList<>(0);
        List<String> executed = new ArrayList<>(0);
        for (String sql : s.queries) {
            Classification classification = classifyText(sql, null);
            if (classification == null) {
                return null;
            }
            List<SessionCommand> found = commandsIn(sql, classification);
            SessionCommand.Prepare prepared = executedStatement(classification, found);
            if (prepared != null) {
                // EXECUTE of a prepared read may run on a replica: it is routed as what it executes.
                classification = classifyText(prepared.statementSql(), null);
                if (classification == null) {
                    return null;
                }
                executed.add(prepared.name());
                commands.addAll(commandsIn(prepared.statementSql(), classification));
            }
            parts.add(classification);
            commands.addAll(found);
        }
        if (!analyzeStatements(s.parsed, parts, commands, executed)
                || !analyzeStatements(s.referenced, parts, commands, executed)) {
            return null;
        }
        return new Analysis(SegmentClassification.combine(parts), commands, executed);
    }

    private boolean analyzeStatements(Iterable<PreparedStatementDef> defs, List<Classification> parts,
                                      List<SessionCommand> commands, List<String> executed) {
        for (PreparedStatementDef def : defs) {
            Classification classification = def.classification();
            if (classification == null) {
                classification = classifyText(def.sql(), def);
                if (classification == null) {
                    return false;
                }
                def.classification(classification);
                def.sessionCommands(commandsIn(def.sql(), classification));
            }
            SessionCommand.Prepare prepared = executedStatement(classification, def.sessionCommands());
            if (prepared != null) {
                // Not cached on the definition: DEALLOCATE and PREPARE may give the name another statement.
                Classification executedClassification = classifyText(prepared.statementSql(), null);
                if (executedClassification == null) {
                    return false;
                }
                executed.add(prepared.name());
                commands.addAll(commandsIn(prepared.statementSql(), executedClassification));
                classification = executedClassification;
            }
            parts.add(classification);
            commands.addAll(def.sessionCommands());
        }
        return true;
    }

    private Classification classifyText(String sql, PreparedStatementDef def) {
        Classification known = context.classifier().classifyFast(sql);
        if (known == null) {
            awaitClassification(context.classifier().classify(sql), def);
        }
        return known;
    }

    /** Plain reads cannot change session state; only the rest is read for session commands. */
    private List<SessionCommand> commandsIn(String sql, Classification classification) {
        boolean mayChangeState = classification.kinds().contains(StatementKind.SESSION)
                || classification.kinds().contains(StatementKind.UTILITY)
                || classification.requiresPrimary() && classification.reason() != RouteReason.LOCKING_READ
                && classification.reason() != RouteReason.TRANSACTION;
        return mayChangeState ? context.sessionCommands(sql) : List.of();
    }

    /** The SQL-prepared statement a string consisting of one EXECUTE runs, when the session knows it. */
    private SessionCommand.Prepare executedStatement(Classification classification, List<SessionCommand> found) {
        if (classification.kinds().size() == 1 && found.size() == 1 && found.get(0) instanceof SessionCommand.Execute execute) {
            return state.sqlPrepared(execute.name());
        }
        return null;
    }

    private void awaitClassification(CompletableFuture<Classification> pending, PreparedStatementDef def) {
        waiting = Wait.CLASSIFICATION;
        pending.whenComplete((classification, error) -> loop.execute(() -> {
            if (def != null && classification != null && def.classification() == null) {
                def.classification(classification);
                def.sessionCommands(commandsIn(def.sql(), classification));
            }
            resume(Wait.CLASSIFICATION);
        }));
    }

    private void resume(Wait awaited) {
        if (waiting != awaited) {
            return;
        }
        waiting = Wait.NONE;
        if (!closed) {
            drive();
        }
    }

    // ---------------------------------------------------------------- sending

    /**
     * Sends the segment, preceded by whatever the server needs to be in line with the client:
     * settings, SQL-prepared statements and protocol-level statements. {@code requirement} is
     * non-null only for a segment routed on its own (not pinned or pipelined): only such a read may
     * be retried elsewhere if its server dies first.
     */
    private boolean send(Segment s, BackendConnection backend, Role role, String reason, Requirement requirement) {
        Classification classification = s.analysis.classification();
        String alignment = ServerAlignment.statementsFor(backend, state, s.analysis.executedStatements());
        ByteBuf injected = alignment == null ? null : new Query(alignment).encode(client.alloc());
        StatementPrelude prelude = StatementPrelude.build(s, backend.statements(), statements, client.alloc());
        ByteBuf bytes = take(s);
        if (!backend.owesClient()) {
            groupStartedNanos = System.nanoTime();
            if (connections.isOwned(backend)) {
                context.metrics().serverConnectionBusy(backend.serverName());
            }
        }
        if (RetryableRead.allows(s, requirement, classification, backend)) {
            retryable = new RetryableRead(s, backend, bytes.retainedDuplicate());
        }
        backend.send(injected, prelude.bytes(), bytes,
                new Dispatch(prelude.parses(), prelude.closes(), s.clientParses, s.clientCloses, s.end == Segment.End.READY_FOR_QUERY));
        markUnflushed(backend);
        applyStatementEvents(s, backend);
        if (current != backend) {
            current = backend;
            currentRole = role;
            currentReason = transactionReason(role, reason, classification);
        }
        if (classification != null) {
            predictTransaction(classification);
        }
        expectEffects(s, classification);
        askForFence(s, backend, classification);
        if (s.hasSql()) {
            context.metrics().routed(backend.serverName(), currentRole, currentReason);
        }
        return true;
    }

    /**
     * Read-your-writes: after a group that wrote and ends outside a transaction (autocommit, or a
     * COMMIT), the primary is asked for its WAL position right behind it, on the same connection, so
     * the client never waits for the answer; the next read waits only if it is not there yet.
     */
    private void askForFence(Segment s, BackendConnection backend, Classification classification) {
        if (!connections.isOwned(backend) || s.end != Segment.End.READY_FOR_QUERY) {
            return;
        }
        if (consistency != Consistency.READ_YOUR_WRITES) {
            wroteUnfenced |= writes(s, classification);
            return;
        }
        transactionWrote |= writes(s, classification);
        boolean endsHere = !transactionPredicted && (transactionStatus == TransactionStatus.IDLE
                || classification != null && classification.transaction() == TransactionControl.END);
        if (transactionWrote && endsHere) {
            transactionWrote = false;
            fencePending = true;
            if (CopyStatements.mayStart(s)) {
                // The server is in COPY IN until the client's CopyDone: anything sent now would break it.
                fenceAfterReadyForQuery = true;
            } else {
                askWalPosition(backend); // flushed with the client's group
            }
        }
    }

    private static final String CURRENT_WAL_POSITION = "SELECT pg_catalog.pg_current_wal_lsn()";

    /** Queues the hidden query whose answer becomes the fence ({@link #onInjectedValue}). */
    private void askWalPosition(BackendConnection primary) {
        primary.sendValueQuery(new Query(CURRENT_WAL_POSITION).encode(client.alloc()));
    }

    /** Whether the segment may change data: by its reason, or by any of its statements (BEGIN; INSERT; COMMIT). */
    private static boolean writes(Segment s, Classification classification) {
        if (classification == null) {
            return s.functionCall || s.tooLarge;
        }
        return classification.requiresPrimary() && (classification.kinds().contains(StatementKind.WRITE)
                || switch (classification.reason()) {
                    case WRITE, VOLATILE_FUNCTION, UNPARSED, HINT -> true;
                    default -> false;
                });
    }

    @Override
    public void onInjectedValue(BackendConnection backend, String value) {
        fencePending = false;
        try {
            long position = Lsn.parse(value);
            fenceUnknown = position < 0;
            fence = Math.max(fence, position);
        } catch (IllegalArgumentException e) {
            fenceUnknown = true;
        }
        resume(Wait.FENCE);
    }

    /** The session's fence in PostgreSQL's text form (SHOW pgsplit.last_lsn), "0/0" when it has none. */
    public String lastLsn() {
        return Lsn.format(fence);
    }

    /** A causal token from another session (SET pgsplit.min_lsn): reads wait for it too. */
    public void requireLsn(long position) {
        requiredLsn = position;
        fence = Math.max(fence, position);
    }

    public void consistency(Consistency mode) {
        this.consistency = mode == null ? context.config().consistencyFor(user) : mode;
        if (consistency == Consistency.READ_YOUR_WRITES && wroteUnfenced) {
            fenceEarlierWrites();
        }
    }

    /**
     * The session wrote while eventual and now wants its own writes: the primary's current WAL
     * position covers them all. Asked on the idle primary connection (proxy commands are answered
     * only when nothing is owed); with none, reads stay on the primary until the next write's fence.
     */
    private void fenceEarlierWrites() {
        wroteUnfenced = false;
        BackendConnection primary = connections.owned();
        if (primary != null && primary.isActive() && !primary.owesClient()) {
            fencePending = true;
            askWalPosition(primary);
            primary.flush();
        } else {
            fenceUnknown = true;
        }
    }

    /** Queues the group's session commands; they are recorded when its ReadyForQuery says how it went. */
    private void expectEffects(Segment s, Classification classification) {
        openGroupCommands.addAll(s.analysis.commands());
        if (s.end != Segment.End.READY_FOR_QUERY) {
            return;
        }
        boolean rollback = classification != null && classification.transaction() == TransactionControl.END
                && endsWithRollback(s);
        groupEffects.add(new GroupEffects(openGroupCommands, rollback));
        openGroupCommands = new ArrayList<>(0);
    }

    private static boolean endsWithRollback(Segment s) {
        for (String sql : s.queries) {
            if (GroupEffects.isRollback(sql)) {
                return true;
            }
        }
        for (PreparedStatementDef def : s.parsed) {
            if (GroupEffects.isRollback(def.sql())) {
                return true;
            }
        }
        for (PreparedStatementDef def : s.referenced) {
            if (GroupEffects.isRollback(def.sql())) {
                return true;
            }
        }
        return false;
    }

    private static String transactionReason(Role role, String reason, Classification classification) {
        if (classification != null && classification.transaction() == TransactionControl.BEGIN) {
            return RouteReason.TRANSACTION.label();
        }
        if (classification != null && classification.transaction() == TransactionControl.BEGIN_READ_ONLY && role == Role.REPLICA) {
            return RouteReason.READ_ONLY_TRANSACTION.label();
        }
        return reason;
    }

    private void predictTransaction(Classification classification) {
        switch (classification.transaction()) {
            case BEGIN, BEGIN_READ_ONLY -> transactionPredicted = true;
            case END -> transactionPredicted = false;
            default -> {
            }
        }
    }

    /** Once sent, the server and the session know what the client prepared and closed. */
    private void applyStatementEvents(Segment s, BackendConnection backend) {
        if (s.simpleQuery) {
            backend.statements().unnamedDropped();
            statements.remove("");
        }
        for (Segment.StatementEvent event : s.events) {
            if (event instanceof Segment.StatementEvent.Parsed parsed) {
                statements.put(parsed.def().name(), parsed.def());
                backend.statements().prepared(parsed.def());
            } else if (event instanceof Segment.StatementEvent.Closed closedEvent) {
                statements.remove(closedEvent.name());
                backend.statements().closed(closedEvent.name());
            }
        }
    }

    private void markUnflushed(BackendConnection backend) {
        if (!unflushed.contains(backend)) {
            unflushed.add(backend);
        }
    }

    private void flushServers() {
        for (int i = 0; i < unflushed.size(); i++) {
            unflushed.get(i).flush();
        }
        unflushed.clear();
    }

    private boolean serversWritable() {
        for (BackendConnection backend : connections.all()) {
            if (backend.holdsBackClient()) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- refusing

    /** Answers a segment without sending it anywhere, as a server would answer an error. */
    private void refuse(Segment s, String sqlState, String message) {
        drop(s);
        replies.error(sqlState, message);
        finishRefusal(s, TransactionStatus.IDLE);
    }

    private void refuseInTransaction(Segment s, String sqlState, String message) {
        drop(s);
        replies.error(sqlState, message);
        finishRefusal(s, TransactionStatus.FAILED);
    }

    private void finishRefusal(Segment s, TransactionStatus status) {
        if (s.end == Segment.End.READY_FOR_QUERY) {
            replies.readyForQuery(status);
        } else {
            discardUntilSync = true;
            discardStatus = status;
        }
    }

    /** After an error, PostgreSQL ignores the rest of the group up to Sync; so does the proxy. */
    private void discard(Segment s) {
        drop(s);
        if (s.end == Segment.End.READY_FOR_QUERY) {
            discardUntilSync = false;
            replies.readyForQuery(discardStatus);
        }
    }

    private void terminateWithError(String sqlState, String message) {
        log.debug("client {}: {}", client.remoteAddress(), message);
        replies.fatal(sqlState, message);
        client.flush();
        client.close();
        close();
    }

    // ---------------------------------------------------------------- server connections

    /**
     * Opens the primary connection or borrows a replica one, then routes the segment again. A
     * server that refuses is skipped for this segment (a read then goes elsewhere); a pool that
     * stays exhausted for the acquire timeout is answered with 53300.
     */
    private void connectFor(Segment s, Route.ToServer to) {
        waiting = Wait.CONNECTION;
        connections.open(to.server(), to.role()).whenComplete((backend, error) -> loop.execute(() -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                s.chosen = null;
                if (cause instanceof PoolTimeoutException) {
                    s.poolTimeout = cause.getMessage();
                    s.failedServers.add(to.server().name());
                } else {
                    log.warn("client {}: could not open a connection to {}: {}", client.remoteAddress(), to.server().name(),
                            cause.getMessage());
                    s.failedServers.add(to.server().name());
                    context.health().refreshNow();
                }
            } else if (closed) {
                connections.closeAll();
            } else {
                backend.setAutoRead(client.isWritable());
            }
            resume(Wait.CONNECTION);
        }));
    }

    // ---------------------------------------------------------------- server side (BackendListener)

    @Override
    public void onServerMessages(BackendConnection backend, ByteBuf messages, boolean answer) {
        if (closed) {
            messages.release();
            return;
        }
        if (answer && retryable != null && retryable.backend() == backend) {
            forgetRetryable(); // the client has seen part of the answer: too late to retry elsewhere
        }
        client.write(messages, client.voidPromise());
    }

    private void forgetRetryable() {
        retryable.bytes().release();
        retryable = null;
    }

    @Override
    public void onReadyForQuery(BackendConnection backend, TransactionStatus status, boolean failed) {
        if (backend != current) {
            return;
        }
        TransactionStatus before = transactionStatus;
        transactionStatus = status;
        record(groupEffects.poll(), before, status, failed, backend);
        if (fenceAfterReadyForQuery && connections.isOwned(backend) && !backend.owesClient()) {
            fenceAfterReadyForQuery = false;
            askWalPosition(backend);
            backend.flush();
        }
        if (!backend.owesClient()) {
            if (connections.isOwned(backend)) {
                context.metrics().serverConnectionIdle(backend.serverName());
            }
            context.metrics().recordQuery(currentRole, System.nanoTime() - groupStartedNanos);
            transactionPredicted = false;
            if (status == TransactionStatus.IDLE) {
                becomeFree(backend);
            }
        }
        if (current == null) {
            resume(Wait.DRAIN);
        }
    }

    /** Nothing is owed and no transaction is open: give back a borrowed connection, honour a pending stop. */
    private void becomeFree(BackendConnection backend) {
        readOnlyTransactionFailed = false;
        current = null;
        if (!connections.isOwned(backend)) {
            // Flush first: the end of this server read now goes to the pool's listener, not to this session.
            client.flush();
            connections.returnLent();
        } else if (context.topology().server(backend.serverName()).isEmpty()) {
            client.flush();
            connections.dropOwned("server removed from the configuration");
        }
        if (shuttingDown) {
            closeForShutdown();
        }
    }

    /** Records what a group changed in the session, if it succeeded; a transaction's changes wait for its commit. */
    private void record(GroupEffects effects, TransactionStatus before, TransactionStatus after, boolean failed,
                        BackendConnection backend) {
        boolean transactionEnded = before != TransactionStatus.IDLE && after == TransactionStatus.IDLE;
        if (transactionEnded) {
            boolean committed = before == TransactionStatus.IN_TRANSACTION && !failed && (effects == null || !effects.rollback());
            react(state.transactionEnded(committed), backend);
        }
        if (effects == null || failed || effects.commands().isEmpty()) {
            return;
        }
        boolean inTransaction = after != TransactionStatus.IDLE || effects.rollback();
        react(state.groupSucceeded(effects.commands(), inTransaction), backend);
        if (effects.rollback() && !transactionEnded) {
            react(state.transactionEnded(false), backend);
        }
        if (!inTransaction) {
            noteServerSideEffects(effects.commands(), backend);
        }
    }

    /** The server the commands ran on now holds their effects, so it needs no replay of them. */
    private void react(SessionState.Recorded recorded, BackendConnection backend) {
        if (recorded.settingsChanged()) {
            backend.settings().ranHere(state.settings());
        }
        if (recorded.protocolStatementsDropped()) {
            statements.clear();
            backend.statements().clear();
            backend.sqlPrepared().clear();
        }
        for (SessionState.Pin pin : recorded.newPins()) {
            context.metrics().sessionPinned(pin.label());
        }
        if (state.firstPin()) {
            log.info("client {}: session pinned to the primary ({}); further pins of this session are not logged",
                    client.remoteAddress(), state.pins().iterator().next().label());
        }
    }

    private static void noteServerSideEffects(List<SessionCommand> commands, BackendConnection backend) {
        for (SessionCommand command : commands) {
            if (command instanceof SessionCommand.Prepare prepare) {
                backend.sqlPrepared().put(prepare.name(), prepare.replaySql());
            } else if (command instanceof SessionCommand.Deallocate deallocate && deallocate.name() != null) {
                backend.sqlPrepared().remove(deallocate.name());
            }
        }
    }

    /** A server took the data it had queued (COPY FROM STDIN sends a lot): read from the client again. */
    @Override
    public void onServerWritabilityChanged(BackendConnection backend) {
        updateClientReading();
    }

    @Override
    public void onServerReadComplete(BackendConnection backend) {
        client.flush();
        if (!client.isWritable()) {
            backend.setAutoRead(false);
        }
    }

    @Override
    public void onBackendClosed(BackendConnection backend, String reason) {
        boolean wasCurrent = backend == current;
        if (fencePending && connections.isOwned(backend)) {
            fencePending = false;
            fenceAfterReadyForQuery = false;
            fenceUnknown = true; // the commit's position is lost with the connection: be safe until the next write
            resume(Wait.FENCE);
        }
        connections.lost(backend);
        if (closed) {
            return;
        }
        if (wasCurrent) {
            if (retryable != null && retryable.backend() == backend) {
                retryElsewhere(backend, reason);
            } else {
                failCurrent(backend, reason);
            }
            if (waiting == Wait.DRAIN) {
                waiting = Wait.NONE;
            }
            if (waiting == Wait.NONE) {
                drive(); // the retry (or the client's next request) goes out now, not on the client's next bytes
            }
        }
        replies.flush();
        client.flush();
        updateClientReading(); // the lost connection may have been what held the client back
    }

    /**
     * The server died before any byte of this read's answer reached the client, outside a
     * transaction: the read goes, once, to another eligible server, and the client never knows.
     */
    private void retryElsewhere(BackendConnection backend, String reason) {
        Segment read = retryable.segment();
        read.replay = retryable.bytes();
        read.retried = true;
        read.failedServers.add(backend.serverName());
        retryable = null;
        retrying = read;
        resetToFree();
        context.metrics().retried(backend.serverName());
        log.info("client {}: retrying a read elsewhere: lost {}: {}", client.remoteAddress(), backend.serverName(), reason);
        context.health().refreshNow();
    }

    private void resetToFree() {
        current = null;
        transactionStatus = TransactionStatus.IDLE;
        transactionPredicted = false;
        readOnlyTransactionFailed = false;
        groupEffects.clear();
        openGroupCommands = new ArrayList<>(0);
    }

    /**
     * The server running this session's work is gone. Whatever it owed is answered with an error
     * (never a hang), an open transaction is reported lost on the next request, and the session
     * goes on with its next transaction.
     */
    private void failCurrent(BackendConnection backend, String reason) {
        String message = "pgsplit: lost the connection to server " + backend.serverName() + ": " + reason;
        int owed = backend.readyForQueryOwed();
        boolean groupStillOpen = backend.pendingGroupOpen();
        for (int i = 0; i < owed; i++) {
            replies.error(SqlState.CONNECTION_FAILURE, message);
            replies.readyForQuery(TransactionStatus.IDLE);
        }
        if (groupStillOpen) {
            replies.error(SqlState.CONNECTION_FAILURE, message);
            discardUntilSync = true;
            discardStatus = TransactionStatus.IDLE;
        } else if (owed == 0 && transactionStatus != TransactionStatus.IDLE) {
            brokenTransaction = message + "; the transaction was rolled back";
        }
        if (transactionStatus != TransactionStatus.IDLE) {
            state.transactionEnded(false);
        }
        resetToFree();
        context.health().refreshNow();
    }

    // ---------------------------------------------------------------- topology changes

    /**
     * Follows the cluster: a connection to a server marked down is dropped at once (a read in
     * flight is retried elsewhere, anything else is answered with an error rather than left
     * hanging); in a split brain an open transaction on a self-declared primary is cut, so no write
     * goes anywhere; the session's primary connection is closed once its server is no longer the
     * primary or was removed from the configuration — after any work on it finished.
     */
    public void onTopologyChanged(Topology topology) {
        if (closed) {
            return;
        }
        for (BackendConnection backend : connections.all()) {
            Optional<ServerHealth> server = topology.server(backend.serverName());
            boolean working = backend == current;
            if (server.isPresent() && !server.get().up()) {
                backend.abort("server " + backend.serverName() + " is down (health checks failed)");
            } else if (working && topology.splitBrain() && server.get().isPrimary()
                    && transactionStatus != TransactionStatus.IDLE) {
                backend.abort("more than one server claims to be the primary (split brain); the transaction was cut");
            } else if (!working && connections.isOwned(backend) && (server.isEmpty() || !server.get().isPrimary())) {
                connections.dropOwned("server " + backend.serverName() + " is no longer the primary");
            }
        }
    }

    // ---------------------------------------------------------------- shutdown

    /**
     * The proxy is shutting down: an idle session is closed now; one inside a transaction or a
     * group is closed as soon as that ends, like PostgreSQL's smart shutdown.
     */
    public void shutdownWhenIdle() {
        loop.execute(() -> {
            shuttingDown = true;
            if (current == null && !discardUntilSync) {
                closeForShutdown();
            }
        });
    }

    /** The shutdown timeout passed: close whatever the session is doing. */
    public void closeForShutdown() {
        loop.execute(() -> {
            if (closed) {
                return;
            }
            replies.fatal(SqlState.ADMIN_SHUTDOWN, "terminating connection due to administrator command");
            replies.flush();
            close();
        });
    }

    // ---------------------------------------------------------------- idle timeout

    /**
     * Nothing in flight or waited for on pgsplit's side and no transaction open: what
     * limits.client_idle_timeout may close. A group that failed before reaching any server and now
     * waits for the client's Sync holds nothing, so it counts as idle outside a transaction.
     */
    public boolean isIdle() {
        TransactionStatus clientSees = discardUntilSync ? discardStatus : transactionStatus;
        return !closed && current == null && waiting == Wait.NONE && retrying == null && clientSees == TransactionStatus.IDLE;
    }

    /** limits.client_idle_timeout passed while idle: closed the way PostgreSQL's idle_session_timeout closes. */
    public void closeIdle() {
        if (closed) {
            return;
        }
        replies.fatal(SqlState.IDLE_SESSION_TIMEOUT, "terminating connection due to idle-session timeout");
        replies.flush();
        close();
    }

    // ---------------------------------------------------------------- cancel and close

    /** A CancelRequest with this session's key: forwarded to the server running its work, if any. */
    public void cancel() {
        loop.execute(() -> {
            if (current != null && current.owesClient() && current.key() != null) {
                context.cancelForwarder().forward(loop, context.serverAddress(current.serverName()), current.key());
            }
        });
    }

    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        inbound.release();
        if (retryable != null) {
            forgetRetryable();
        }
        if (retrying != null) {
            drop(retrying);
            retrying = null;
        }
        connections.closeAll();
        context.sessionClosed(this);
        if (client.isActive()) {
            client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
