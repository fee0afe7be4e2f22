package io.pgsplit.proxy;

import io.pgsplit.health.HealthMonitor;
import io.pgsplit.health.Role;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.health.ServerHealth;
import io.pgsplit.health.Topology;
import io.pgsplit.health.ProbeCredentials;
import io.pgsplit.proxy.auth.AuthQuery;
import io.pgsplit.proxy.balance.ReplicaLatencies;
import io.pgsplit.proxy.balance.ReplicaLoad;
import io.pgsplit.proxy.balance.ReplicaSelector;
import io.pgsplit.proxy.catalog.CatalogRegistry;
import io.pgsplit.proxy.catalog.CatalogSettings;
import io.pgsplit.proxy.auth.ClientAuthExchanges;
import io.pgsplit.proxy.auth.ClientAuthenticator;
import io.pgsplit.proxy.auth.ServerLogin;
import io.pgsplit.proxy.auth.ServerLogins;
import io.pgsplit.proxy.backend.BackendConnector;
import io.pgsplit.proxy.backend.ServerChannels;
import io.pgsplit.proxy.backend.ServerAddressResolver;
import io.pgsplit.proxy.cancel.CancelForwarder;
import io.pgsplit.proxy.cancel.CancelRegistry;
import io.pgsplit.proxy.config.LimitsConfig;
import io.pgsplit.proxy.config.PgSplitConfig;
import io.pgsplit.proxy.config.ServerConfig;
import io.pgsplit.proxy.config.SecuritySettings;
import io.pgsplit.proxy.frontdoor.FrontDoor;
import io.pgsplit.proxy.memory.BufferBudget;
import io.pgsplit.proxy.metrics.PooledConnections;
import io.pgsplit.proxy.tls.ClientTls;
import io.pgsplit.proxy.tls.ServerTls;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import io.pgsplit.proxy.pool.PoolStats;
import io.pgsplit.proxy.session.ClientSession;
import io.pgsplit.proxy.session.ServerParameters;
import io.pgsplit.router.SessionCommand;
import io.pgsplit.router.SessionCommandCache;
import io.pgsplit.router.StatementClassifier;
import io.netty.channel.EventLoop;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.config.PoolConfig;
import io.pgsplit.proxy.pool.ConnectionOpener;
import io.pgsplit.proxy.pool.PoolKey;
import io.pgsplit.proxy.pool.PoolSettings;
import io.pgsplit.proxy.pool.ServerPools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The services every session shares: configuration, classifier, topology, connector, metrics, the
 * cancel registry and the live sessions. All are safe to use from any event loop. A reload swaps
 * the configuration-derived ones as a whole; sessions read them afresh for every request.
 */
public final class ProxyContext {
    /** Requests larger than this are not buffered whole before routing; see SegmentScanner. */
    private static final int MAX_BUFFERED_REQUEST = 1 << 20;

    private volatile PgSplitConfig config;
    private volatile StatementClassifier classifier;
    private volatile BackendConnector connector;
    /** Outlives reloads, as connections opened by an earlier connector do. */
    private final ServerChannels serverChannels = new ServerChannels();
    private volatile ClientAuthExchanges authExchanges;
    private volatile ClientAuthenticator authenticator;
    private volatile ClientTls clientTls;
    private volatile ServerTls serverTls;
    /** Outlives reloads: SCRAM keys clients proved stay valid while their user's secret does not change. */
    private final ServerLogins serverLogins = new ServerLogins();
    private final HealthMonitor health;
    private final ProxyMetrics metrics;
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
    private final ServerPools pools;
    private final ServerPools primaryPools;
    /** Session commands per SQL text, at most 4 million characters of text: writes repeat as much as reads. */
    private final SessionCommandCache sessionCommands = new SessionCommandCache(4_000_000);
    private final CancelRegistry cancels = new CancelRegistry();
    /** Shared across reloads: server names are looked up off the event loops and cached briefly. */
    private final ServerAddressResolver resolver = new ServerAddressResolver();
    private final CancelForwarder cancelForwarder = new CancelForwarder(resolver);
    private final ReplicaLatencies latencies = new ReplicaLatencies();
    private final ReplicaSelector replicaSelector;
    private final CatalogRegistry catalogs;
    private final ServerParameters serverParameters = new ServerParameters();
    private final Executor slowWork;
    private final FrontDoor frontDoor;
    private final BufferBudget bufferBudget;

    /** @param serverTls the server TLS the health monitor already uses, kept unless the configuration changes it */
    ProxyContext(PgSplitConfig config, StatementClassifier classifier, HealthMonitor health, ProxyMetrics metrics,
                 Executor slowWork, ServerTls serverTls) {
        this(config, classifier, health, metrics, slowWork, serverTls, null);
    }

    /**
     * @param pooledOpener opens the pools' connections instead of the BackendConnector; null in production. The
     *                     hook for the in-process benchmark (bench module), whose servers are EmbeddedChannels.
     */
    ProxyContext(PgSplitConfig config, StatementClassifier classifier, HealthMonitor health, ProxyMetrics metrics,
                 Executor slowWork, ServerTls serverTls, ConnectionOpener pooledOpener) {
        ConnectionOpener opener = pooledOpener != null ? pooledOpener : this::openPooled;
        this.health = health;
        this.metrics = metrics;
        this.slowWork = slowWork;
        this.serverTls = serverTls;
        this.pools = new ServerPools(replicaPoolSettings(config.pool()), opener);
        this.primaryPools = new ServerPools(primaryPoolSettings(config.pool()), opener);
        this.replicaSelector = new ReplicaSelector(config.routing().replicaPolicy(),
                config.routing().replicaAffinity(), weights(config), replicaLoad());
        this.catalogs = new CatalogRegistry(catalogSettings(config, serverTls), health::topology);
        this.bufferBudget = new BufferBudget(config.limits().maxBufferedBytes());
        metrics.bindBufferBudget(bufferBudget);
        apply(config, classifier);
        this.frontDoor = new FrontDoor(this::limits, metrics);
        health.addLatencyListener(latencies);
        metrics.bindPools(this::pooledConnections);
        health.addListener(this::onTopologyChanged);
    }

    private static PoolSettings replicaPoolSettings(PoolConfig pool) {
        return new PoolSettings("pool.replica_max_per_server", pool.replicaMaxPerServer(), pool.acquireTimeout());
    }

    private static PoolSettings primaryPoolSettings(PoolConfig pool) {
        return new PoolSettings("pool.primary_max_per_server", pool.primaryMaxPerServer(), pool.acquireTimeout());
    }

    /**
     * Pooled connections start with nothing but user and database: each borrower's settings are set on
     * them. What they report at startup is what the next client of that login is told ({@link ServerParameters}).
     */
    private CompletableFuture<BackendConnection> openPooled(EventLoop loop, PoolKey key) {
        ServerAddress server = key.server();
        return connector.connect(loop, server.name(), server.host(), server.port(),
                Map.of("user", key.user(), "database", key.database()), key.user(), serverLogin(key.user()))
                .thenApply(connection -> {
                    serverParameters.learnt(key.user(), key.database(), connection.parameters());
                    return connection;
                });
    }

    /** The ParameterStatus values of each (user, database) login, so that clients log in without a server connection. */
    public ServerParameters serverParameters() {
        return serverParameters;
    }

    /**
     * Takes a new configuration; built off the event loops (SCRAM verifiers are derived here, and the TLS contexts
     * built from certificates the configuration loader has read).
     */
    void apply(PgSplitConfig newConfig, StatementClassifier newClassifier) {
        SecuritySettings security = newConfig.security();
        ClientAuthExchanges exchanges = new ClientAuthExchanges(newConfig.users(), slowWork);
        ServerTls current = serverTls;
        ServerTls nextServerTls = current != null && current.sameAs(security.serverTls(), newConfig.servers())
                ? current : ServerTls.of(security.serverTls(), newConfig.servers());
        BackendConnector nextConnector = new BackendConnector(newConfig.limits().maxMessageSize(),
                newConfig.limits().connectTimeout(), slowWork, nextServerTls, resolver, serverChannels);
        AuthQuery authQuery = security.authQuery().map(query -> new AuthQuery(query, this::connector,
                () -> health.topology().primary().map(ServerHealth::address), serverLogins,
                newConfig.limits().connectTimeout(), slowWork)).orElse(null);
        this.clientTls = ClientTls.of(security.clientTls());
        this.serverTls = nextServerTls;
        this.authExchanges = exchanges;
        this.authenticator = new ClientAuthenticator(newConfig.authType(), security.hba(), exchanges, serverLogins, authQuery);
        this.connector = nextConnector;
        this.classifier = newClassifier;
        this.config = newConfig;
        pools.reconfigure(replicaPoolSettings(newConfig.pool()));
        primaryPools.reconfigure(primaryPoolSettings(newConfig.pool()));
        replicaSelector.configure(newConfig.routing().replicaPolicy(), newConfig.routing().replicaAffinity(),
                weights(newConfig));
        catalogs.reconfigure(catalogSettings(newConfig, nextServerTls));
        bufferBudget.limit(newConfig.limits().maxBufferedBytes());
    }

    private static Map<String, Integer> weights(PgSplitConfig config) {
        Map<String, Integer> weights = new HashMap<>();
        config.servers().forEach(server -> weights.put(server.name(), server.weight()));
        return weights;
    }

    /** Reads in flight are the replica pools' lent connections: each serves one group or read-only transaction. */
    private ReplicaLoad replicaLoad() {
        return new ReplicaLoad() {
            @Override
            public int inFlight(String server) {
                return pools.lent(server);
            }

            @Override
            public long latencyNanos(String server) {
                return latencies.nanos(server);
            }
        };
    }

    /** The catalog is read on the primary with the probes' login, with the connect timeout as the bound (10 s at least). */
    private static CatalogSettings catalogSettings(PgSplitConfig config, ServerTls serverTls) {
        Duration timeout = config.limits().connectTimeout().compareTo(Duration.ofSeconds(10)) > 0
                ? config.limits().connectTimeout() : Duration.ofSeconds(10);
        return new CatalogSettings(config.routing().catalog(), config.routing().catalogRefresh(),
                new ProbeCredentials(config.health().user(), config.health().password(), config.health().database(),
                        serverTls),
                timeout, PgSplitServer.routerSettings(config.routing()).deniedFunctions());
    }

    /** The replica connection pools. */
    public ServerPools pools() {
        return pools;
    }

    /** The primary connection pools, used by sessions in transaction pool mode. */
    public ServerPools primaryPools() {
        return primaryPools;
    }

    /** One pool's connections to {@code server}, for the gauges and the status report. */
    private PooledConnections.Counts pooledConnections(String server, Role role) {
        PoolStats stats = pools(role).stats(server);
        return new PooledConnections.Counts(stats.lent(), stats.idle(), stats.opening(), stats.waiting());
    }

    /** The pools of {@code role}'s connections. */
    public ServerPools pools(Role role) {
        return role == Role.PRIMARY ? primaryPools : pools;
    }

    /** The session commands in a SQL text (cached; the text is lexed once). */
    public List<SessionCommand> sessionCommands(String sql) {
        return sessionCommands.commandsIn(sql);
    }

    public PgSplitConfig config() {
        return config;
    }

    public LimitsConfig limits() {
        return config.limits();
    }

    /** What all sessions together may buffer of requests still arriving (limits.max_buffered_bytes). */
    public BufferBudget bufferBudget() {
        return bufferBudget;
    }

    /** A quarter of a small buffer budget at most: a group cut short is sent on instead of refused for its size. */
    public int maxBufferedRequest() {
        long quarterOfBudget = config.limits().maxBufferedBytes() / 4;
        return (int) Math.min(Math.min(MAX_BUFFERED_REQUEST, config.limits().maxMessageSize()), quarterOfBudget);
    }

    public StatementClassifier classifier() {
        return classifier;
    }

    public HealthMonitor health() {
        return health;
    }

    public Topology topology() {
        return health.topology();
    }

    public ServerChannels serverChannels() {
        return serverChannels;
    }

    public BackendConnector connector() {
        return connector;
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    public CancelRegistry cancels() {
        return cancels;
    }

    public CancelForwarder cancelForwarder() {
        return cancelForwarder;
    }

    /** Picks replicas for reads by {@code routing.replica_policy}, {@code replica_affinity} and {@code servers[].weight}. */
    public ReplicaSelector replicaSelector() {
        return replicaSelector;
    }

    /** Recent probe and query latency per server. */
    public ReplicaLatencies latencies() {
        return latencies;
    }

    /** Every database's routing catalog. */
    public CatalogRegistry catalogs() {
        return catalogs;
    }

    /** Pending logins, login timeout, client slots, failed-login throttle and refusal log. */
    public FrontDoor frontDoor() {
        return frontDoor;
    }

    public ClientAuthExchanges authExchanges() {
        return authExchanges;
    }

    /** What pgsplit presents to servers for this user: a configured password or hash, or the keys a client proved. */
    public ServerLogin serverLogin(String user) {
        return serverLogins.forUser(user, authExchanges.configured(user));
    }

    public ClientAuthenticator authenticator() {
        return authenticator;
    }

    /** TLS towards clients as configured now; a new connection takes it when accepted. */
    public ClientTls clientTls() {
        return clientTls;
    }

    public ServerTls serverTls() {
        return serverTls;
    }

    public ServerAddress serverAddress(String name) {
        return health.topology().server(name).map(ServerHealth::address).orElseGet(() -> config.servers().stream()
                .filter(server -> server.name().equals(name))
                .map(ProxyContext::address)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown server " + name)));
    }

    /** Servers whose idle pooled connections of that role are useless now: down, or no longer in the role. */
    private static List<String> pooledServersToRetire(Topology topology, Role role) {
        List<String> retire = new ArrayList<>();
        for (ServerHealth server : topology.servers()) {
            boolean stillInRole = role == Role.PRIMARY ? server.isPrimary() : server.isReplica();
            if (!stillInRole) {
                retire.add(server.name());
            }
        }
        return retire;
    }

    static ServerAddress address(ServerConfig server) {
        return new ServerAddress(server.name(), server.host(), server.port());
    }

    /** A session became ready for queries: it can be cancelled, and it follows topology changes. */
    public void sessionOpened(ClientSession session) {
        cancels.register(session);
        sessions.add(session);
    }

    public void sessionClosed(ClientSession session) {
        cancels.unregister(session);
        sessions.remove(session);
    }

    public Set<ClientSession> sessions() {
        return Collections.unmodifiableSet(sessions);
    }

    private void onTopologyChanged(Topology topology) {
        for (String server : pooledServersToRetire(topology, Role.REPLICA)) {
            pools.retire(server);
        }
        for (String server : pooledServersToRetire(topology, Role.PRIMARY)) {
            primaryPools.retire(server);
        }
        for (ClientSession session : sessions) {
            session.eventLoop().execute(() -> session.onTopologyChanged(topology));
        }
    }
}
