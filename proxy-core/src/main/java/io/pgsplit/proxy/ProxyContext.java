package io.pgsplit.proxy;

import io.pgsplit.health.HealthMonitor;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.health.ServerHealth;
import io.pgsplit.health.Topology;
import io.pgsplit.proxy.auth.ClientAuthExchanges;
import io.pgsplit.proxy.backend.BackendConnector;
import io.pgsplit.proxy.cancel.CancelForwarder;
import io.pgsplit.proxy.cancel.CancelRegistry;
import io.pgsplit.proxy.config.LimitsConfig;
import io.pgsplit.proxy.config.PgSplitConfig;
import io.pgsplit.proxy.config.ServerConfig;
import io.pgsplit.proxy.config.UserConfig;
import io.pgsplit.proxy.frontdoor.FrontDoor;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import io.pgsplit.proxy.session.ClientSession;
import io.pgsplit.router.RoundRobin;
import io.pgsplit.router.SessionCommand;
import io.pgsplit.router.SessionCommands;
import io.pgsplit.router.StatementClassifier;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.channel.EventLoop;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.config.PoolConfig;
import io.pgsplit.proxy.pool.PoolKey;
import io.pgsplit.proxy.pool.PoolSettings;
import io.pgsplit.proxy.pool.ReplicaPools;
import java.util.ArrayList;
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
    private volatile ClientAuthExchanges authExchanges;
    private final HealthMonitor health;
    private final ProxyMetrics metrics;
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
    private final ReplicaPools pools;
    /** Session commands per SQL text: writes repeat as much as reads, and are not lexed twice. */
    private final Cache<String, List<SessionCommand>> sessionCommands = Caffeine.newBuilder().maximumSize(10_000).build();
    private final CancelRegistry cancels = new CancelRegistry();
    private final CancelForwarder cancelForwarder = new CancelForwarder();
    private final RoundRobin replicaRotation = new RoundRobin();
    private final Executor slowWork;
    private final FrontDoor frontDoor;

    ProxyContext(PgSplitConfig config, StatementClassifier classifier, HealthMonitor health, ProxyMetrics metrics,
                 Executor slowWork) {
        this.health = health;
        this.metrics = metrics;
        this.slowWork = slowWork;
        apply(config, classifier);
        this.frontDoor = new FrontDoor(this::limits, metrics);
        this.pools = new ReplicaPools(poolSettings(config.pool()), this::openPooled);
        health.addListener(this::onTopologyChanged);
    }

    private static PoolSettings poolSettings(PoolConfig pool) {
        return new PoolSettings(pool.replicaMaxPerServer(), pool.acquireTimeout());
    }

    /** Pooled connections start with nothing but user and database: each borrower's settings are set on them. */
    private CompletableFuture<BackendConnection> openPooled(EventLoop loop, PoolKey key) {
        ServerAddress server = key.server();
        return connector.connect(loop, server.name(), server.host(), server.port(),
                Map.of("user", key.user(), "database", key.database()), key.user(), backendPassword(key.user()));
    }

    /** Takes a new configuration; built off the event loops (SCRAM verifiers are derived here). */
    void apply(PgSplitConfig newConfig, StatementClassifier newClassifier) {
        this.authExchanges = new ClientAuthExchanges(newConfig.users());
        this.connector = new BackendConnector(newConfig.limits().maxMessageSize(), newConfig.limits().connectTimeout(), slowWork);
        this.classifier = newClassifier;
        this.config = newConfig;
        if (pools != null) {
            pools.reconfigure(poolSettings(newConfig.pool()));
        }
    }

    public ReplicaPools pools() {
        return pools;
    }

    /** The session commands in a SQL text (cached; the text is lexed once). */
    public List<SessionCommand> sessionCommands(String sql) {
        return sessionCommands.get(sql, SessionCommands::of);
    }

    public PgSplitConfig config() {
        return config;
    }

    public LimitsConfig limits() {
        return config.limits();
    }

    public int maxBufferedRequest() {
        return Math.min(MAX_BUFFERED_REQUEST, config.limits().maxMessageSize());
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

    public RoundRobin replicaRotation() {
        return replicaRotation;
    }

    /** Pending logins, login timeout, client slots, failed-login throttle and refusal log. */
    public FrontDoor frontDoor() {
        return frontDoor;
    }

    public ClientAuthExchanges authExchanges() {
        return authExchanges;
    }

    /** The password pgsplit presents to servers for this user (the one the client proved it knows). */
    public String backendPassword(String user) {
        return config.user(user).map(UserConfig::password).orElse(null);
    }

    public ServerAddress serverAddress(String name) {
        return health.topology().server(name).map(ServerHealth::address).orElseGet(() -> config.servers().stream()
                .filter(server -> server.name().equals(name))
                .map(ProxyContext::address)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown server " + name)));
    }

    /** Servers whose idle pooled connections are useless now: down, or no longer replicas. */
    private static List<String> pooledServersToRetire(Topology topology) {
        List<String> retire = new ArrayList<>();
        for (ServerHealth server : topology.servers()) {
            if (!server.isReplica()) {
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
        for (String server : pooledServersToRetire(topology)) {
            pools.retire(server);
        }
        for (ClientSession session : sessions) {
            session.eventLoop().execute(() -> session.onTopologyChanged(topology));
        }
    }
}
