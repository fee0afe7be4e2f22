package io.pgsplit.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pgsplit.health.Role;
import io.pgsplit.health.Topology;
import io.pgsplit.proxy.memory.BufferBudget;
import io.pgsplit.router.StatementClassifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The proxy's meters in a Prometheus registry. Counters are registered once per label set and then
 * kept: counting a routed statement costs two hash lookups and an atomic add, and allocates nothing.
 */
public final class ProxyMetrics implements AutoCloseable {
    /** The Prometheus text exposition format, version 0.0.4, which {@link #scrape} writes. */
    public static final String SCRAPE_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    public static final String RELOAD_OK = "ok";
    public static final String RELOAD_ERROR = "error";

    private static final String NONE = "none";
    /** The role label of a statement pgsplit answered itself with an error: it went to no server. */
    public static final String REFUSED = "refused";
    /** From a cached pgbench -S read on loopback (well under a millisecond) to a report query. */
    private static final Duration[] QUERY_DURATION_BUCKETS = {
            Duration.ofMillis(1).dividedBy(2), Duration.ofMillis(1), Duration.ofMillis(5).dividedBy(2),
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final Map<String, Timer> fenceWaits = new ConcurrentHashMap<>();
    private final Map<String, Counter> sessionPins = new ConcurrentHashMap<>();
    private final Map<String, Counter> connectionResets = new ConcurrentHashMap<>();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RouteCounters statements = new RouteCounters(registry);
    private final Map<String, ServerConnectionCounts> serverConnections = new ConcurrentHashMap<>();
    private final QueryDurations queryDurations = new QueryDurations(QUERY_DURATION_BUCKETS, System::nanoTime);
    private final Map<String, Counter> configReloads = new ConcurrentHashMap<>();
    private final Map<String, Counter> readRetries = new ConcurrentHashMap<>();
    private final Map<String, Counter> clientRefusals = new ConcurrentHashMap<>();
    private final Map<String, Counter> authFailures = new ConcurrentHashMap<>();
    private final AtomicInteger clientConnections = new AtomicInteger();
    private volatile TopologyGauges topologyGauges;
    private volatile PooledConnections pooled = PooledConnections.NONE;
    private final Map<String, Gauge> poolWaiting = new ConcurrentHashMap<>();
    private volatile JvmProcessMetrics jvmProcessMetrics;

    public ProxyMetrics() {
        Gauge.builder("pgsplit.client.connections", clientConnections, AtomicInteger::get)
                .description("Client connections open").register(registry);
        registry.getPrometheusRegistry().register(queryDurations);
        // Registered up front so that dashboards and alerts see zeros rather than no series at all.
        configReloadCounter(RELOAD_OK);
        configReloadCounter(RELOAD_ERROR);
    }

    /** Lower-cased once: labels are needed per routed request. */
    private static final String[] ROLE_LABELS = Arrays.stream(Role.values())
            .map(role -> role.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);

    /** The lower-case form used in the {@code role} label and the status report. */
    public static String label(Role role) {
        return ROLE_LABELS[role.ordinal()];
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public MeterRegistry meterRegistry() {
        return registry;
    }

    public void bindClassifier(StatementClassifier classifier) {
        FunctionCounter.builder("pgsplit.classifier.cache.hits", classifier, StatementClassifier::cacheHits)
                .description("Statements classified without lexing: from the cache or a recently seen shape").register(registry);
        FunctionCounter.builder("pgsplit.classifier.cache.misses", classifier, StatementClassifier::cacheMisses)
                .description("Statements that had to be classified").register(registry);
    }

    /**
     * Publishes {@code pgsplit_server_up}, {@code pgsplit_server_is_primary}, {@code pgsplit_replica_lag_bytes},
     * {@code pgsplit_replica_lag_seconds} (per server) and {@code pgsplit_split_brain} from the topology as it is at
     * each scrape.
     */
    public void bindTopology(Supplier<Topology> topology) {
        topologyGauges = new TopologyGauges(registry, Objects.requireNonNull(topology, "topology"));
    }

    /** {@code pgsplit_transport_info{transport}} = 1: the I/O transport this process runs (restart-only). */
    public void transport(String name) {
        Gauge.builder("pgsplit.transport.info", () -> 1).tag("transport", name)
                .description("The I/O transport in use: io_uring, epoll or nio").strongReference(true).register(registry);
    }

    /** Publishes {@code pgsplit_buffered_bytes} and {@code pgsplit_buffer_budget_waits_total}. */
    public void bindBufferBudget(BufferBudget budget) {
        Gauge.builder("pgsplit.buffered", budget, BufferBudget::reserved).baseUnit("bytes")
                .description("Bytes reserved for client requests still arriving (limits.max_buffered_bytes)")
                .register(registry);
        FunctionCounter.builder("pgsplit.buffer.budget.waits", budget, BufferBudget::waits)
                .description("Sessions that stopped reading until the buffer budget had room").register(registry);
    }

    /** JVM memory, GC, threads, class loading, CPU, uptime and open files; {@link #close} unbinds the GC listener. */
    public void bindJvmAndProcess() {
        jvmProcessMetrics = new JvmProcessMetrics(registry);
    }

    /** One routed statement or Sync group. */
    public void routed(String server, Role role, String reason) {
        statements.increment(server, label(role), reason);
    }

    /** A session's own view of the routing counters, which finds them again without lookups. */
    public RouteMeters routeMeters() {
        return new RouteMeters(statements);
    }

    /**
     * A statement answered with an error and sent nowhere (no primary, split brain, a write in a read-only
     * transaction): counted as {@code server="none", role="refused"}.
     */
    public void refused(String reason) {
        statements.increment(NONE, REFUSED, reason);
    }

    /** Every routing counter so far, ordered by server, role and reason. */
    public List<RouteCount> routeCounts() {
        return statements.snapshot();
    }

    /** A routed group's time from dispatch to its ReadyForQuery, recorded by the calling thread's recorder. */
    public void recordQuery(Role role, long nanos) {
        queryDurationRecorder().record(role, nanos, System.nanoTime());
    }

    /** The calling thread's share of the query durations: a session keeps it and records there directly. */
    public QueryDurationRecorder queryDurationRecorder() {
        return queryDurations.recorder();
    }

    /** A configuration reload finished; {@code result} is {@link #RELOAD_OK} or {@link #RELOAD_ERROR}. */
    public void configReload(String result) {
        configReloadCounter(result).increment();
    }

    private Counter configReloadCounter(String result) {
        return configReloads.computeIfAbsent(result, r -> Counter.builder("pgsplit.config.reloads")
                .description("Configuration reloads, by result").tag("result", r).register(registry));
    }

    /** A read was sent again elsewhere because {@code failedServer} closed before answering it. */
    public void retried(String failedServer) {
        readRetries.computeIfAbsent(failedServer, server -> Counter.builder("pgsplit.read.retries")
                .description("Reads sent again elsewhere because this server closed before answering them")
                .tag("server", server).register(registry)).increment();
    }

    /**
     * A read waited for a replica to replay its session's last commit (read-your-writes), for
     * {@code nanos}; {@code caughtUp} false when it gave up and went to the primary.
     */
    public void fenceWait(long nanos, boolean caughtUp) {
        String outcome = caughtUp ? "replica" : "primary";
        fenceWaits.computeIfAbsent(outcome, o -> Timer.builder("pgsplit.fence.wait")
                .description("Reads that waited for a replica to replay their session's last commit, by where they ran")
                .tag("outcome", o)
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(20),
                        Duration.ofMillis(100), Duration.ofSeconds(1))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A session became tied to the primary because of state that cannot be replayed ({@code reason}: temp_table, listen, …). */
    public void sessionPinned(String reason) {
        sessionPins.computeIfAbsent(reason, r -> Counter.builder("pgsplit.session.pins")
                .description("Sessions pinned to the primary, by the state that pinned them")
                .tag("reason", r).register(registry)).increment();
    }

    /**
     * A pooled connection ran something whose effect on its session state pgsplit could not follow, and was
     * reset (DISCARD ALL) or, when the client left it so, closed before another client could use it.
     */
    public void connectionReset(String reason) {
        connectionResets.computeIfAbsent(reason, r -> Counter.builder("pgsplit.connection.resets")
                .description("Pooled server connections reset before the next client, by what made them need it")
                .tag("reason", r).register(registry)).increment();
    }

    public void clientConnected() {
        clientConnections.incrementAndGet();
    }

    public void clientDisconnected() {
        clientConnections.decrementAndGet();
    }

    public int clientConnections() {
        return clientConnections.get();
    }

    /** Publishes {@code pgsplit_pending_logins}: connections accepted and not yet authenticated. */
    public void bindPendingLogins(IntSupplier pending) {
        Gauge.builder("pgsplit.pending.logins", pending, IntSupplier::getAsInt).strongReference(true) // a lambda: held by nobody else
                .description("Client connections accepted and not yet authenticated").register(registry);
    }

    /**
     * Publishes {@code pgsplit_front_door_saturated{limit}}: 1 while {@code limit} keeps new ordinary clients out
     * ({@code max_client_connections}: every slot outside the admin reserve taken; {@code max_pending_logins}: the
     * pending logins at their bound), else 0.
     */
    public void bindFrontDoorSaturation(String limit, BooleanSupplier saturated) {
        Gauge.builder("pgsplit.front.door.saturated", saturated, s -> s.getAsBoolean() ? 1 : 0).strongReference(true)
                .description("1 while this front-door limit keeps new clients out (/ready answers 503), else 0")
                .tag("limit", limit).register(registry);
    }

    /** A client refused or closed by a front-door limit; {@code reason} names the limit (login_timeout, …). */
    public void clientRefused(String reason) {
        clientRefusalCounter(reason).increment();
    }

    /** Registers a refusal reason at zero, so dashboards see the series before the first refusal. */
    public void declareClientRefusal(String reason) {
        clientRefusalCounter(reason);
    }

    public long clientRefusals(String reason) {
        return (long) clientRefusalCounter(reason).count();
    }

    private Counter clientRefusalCounter(String reason) {
        return clientRefusals.computeIfAbsent(reason, r -> Counter.builder("pgsplit.client.refusals")
                .description("Clients refused or closed by a front-door limit, by the limit").tag("reason", r)
                .register(registry));
    }

    /** A failed client login; {@code reason}: wrong_password or unknown_user. */
    public void authFailed(String reason) {
        authFailureCounter(reason).increment();
    }

    /** Registers an authentication failure reason at zero. */
    public void declareAuthFailure(String reason) {
        authFailureCounter(reason);
    }

    public long authFailures(String reason) {
        return (long) authFailureCounter(reason).count();
    }

    private Counter authFailureCounter(String reason) {
        return authFailures.computeIfAbsent(reason, r -> Counter.builder("pgsplit.auth.failures")
                .description("Failed client logins, by reason").tag("reason", r).register(registry));
    }

    /** A session started opening its own connection to {@code server} ({@code true}), or that ended either way. */
    public void serverConnectionOpening(String server, boolean started) {
        serverConnectionCounts(server).opening(started ? 1 : -1);
    }

    /** A new server connection; it is idle until {@link #serverConnectionBusy}. */
    public void serverConnectionOpened(String server) {
        serverConnectionCounts(server).opened();
    }

    /** An idle server connection was given a request. */
    public void serverConnectionBusy(String server) {
        serverConnectionCounts(server).busy();
    }

    /** A busy server connection answered everything it owed. */
    public void serverConnectionIdle(String server) {
        serverConnectionCounts(server).idle();
    }

    /** A pooled connection is kept by a pinned client between requests ({@code pinned}), or no longer is. */
    public void serverConnectionPinned(String server, boolean pinned) {
        serverConnectionCounts(server).pinned(pinned);
    }

    /**
     * Pooled connections show in {@code pgsplit_server_connections} and clients queued for one in
     * {@code pgsplit_pool_waiting_clients}, read from {@code pools} at scrape time.
     */
    public void bindPools(PooledConnections pools) {
        this.pooled = Objects.requireNonNull(pools, "pools");
    }

    /** The primary and replica pools of {@code server}, for the status report. */
    public List<PoolStatus> pools(String server) {
        PooledConnections pools = pooled;
        PooledConnections.Counts primary = pools.of(server, Role.PRIMARY);
        PooledConnections.Counts replica = pools.of(server, Role.REPLICA);
        ServerConnectionCounts counts = serverConnections.get(server);
        int pinned = counts == null ? 0 : counts.snapshot().pinned();
        return List.of(
                poolStatus(Role.PRIMARY, primary, pinned),
                poolStatus(Role.REPLICA, replica, 0));
    }

    private static PoolStatus poolStatus(Role role, PooledConnections.Counts counts, int pinned) {
        return new PoolStatus(label(role), counts.lent() + counts.idle() + counts.opening(), counts.lent(),
                counts.idle(), counts.opening(), counts.waiting(), pinned);
    }

    /** An idle server connection closed. */
    public void serverConnectionClosed(String server) {
        serverConnectionClosed(server, false);
    }

    /** A server connection closed; {@code busy} says whether it still owed replies. */
    public void serverConnectionClosed(String server, boolean busy) {
        serverConnectionCounts(server).closed(busy);
    }

    public ConnectionCounts serverConnections(String server) {
        ServerConnectionCounts counts = serverConnections.get(server);
        return counts == null ? ConnectionCounts.NONE : counts.snapshot();
    }

    private ServerConnectionCounts serverConnectionCounts(String server) {
        return serverConnections.computeIfAbsent(server, name -> new ServerConnectionCounts(name, registry, () -> pooled));
    }

    /** Every meter in the Prometheus text format 0.0.4. */
    public String scrape() {
        followTopology();
        return registry.scrape(SCRAPE_CONTENT_TYPE);
    }

    private void followTopology() {
        TopologyGauges gauges = topologyGauges;
        if (gauges != null) {
            Set<String> servers = gauges.follow();
            for (String server : servers) {
                serverConnectionCounts(server); // pooled connections count even before a session opens one of its own
                poolWaiting.computeIfAbsent(server, name -> Gauge.builder("pgsplit.pool.waiting.clients",
                                () -> pooled.of(name).waiting())
                        .description("Clients queued for a pooled connection to this server (any role)")
                        .tag("server", name).register(registry));
            }
            forgetRemoved(servers);
        }
    }

    /** Servers a reload removed lose their connection gauges once nothing is open to them any more. */
    private void forgetRemoved(Set<String> servers) {
        serverConnections.entrySet().removeIf(entry -> {
            if (servers.contains(entry.getKey()) || !entry.getValue().snapshot().equals(ConnectionCounts.NONE)) {
                return false;
            }
            entry.getValue().unregister(registry);
            return true;
        });
        poolWaiting.entrySet().removeIf(entry -> {
            if (servers.contains(entry.getKey())) {
                return false;
            }
            registry.remove(entry.getValue());
            return true;
        });
    }

    @Override
    public void close() {
        JvmProcessMetrics jvm = jvmProcessMetrics;
        if (jvm != null) {
            jvm.close();
        }
    }
}
