package io.pgsplit.proxy;

import io.pgsplit.health.HealthMonitor;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.health.ServerHealth;
import io.pgsplit.health.Topology;
import io.pgsplit.proxy.auth.AuthQuery;
import io.pgsplit.proxy.auth.ClientAuthExchanges;
import io.pgsplit.proxy.auth.ClientAuthenticator;
import io.pgsplit.proxy.auth.ServerLogin;
import io.pgsplit.proxy.auth.ServerLogins;
import io.pgsplit.proxy.backend.BackendConnector;
import io.pgsplit.proxy.cancel.CancelForwarder;
import io.pgsplit.proxy.cancel.CancelRegistry;
import io.pgsplit.proxy.config.LimitsConfig;
import io.pgsplit.proxy.config.PgSplitConfig;
import io.pgsplit.proxy.config.ServerConfig;
import io.pgsplit.proxy.config.SecuritySettings;
import io.pgsplit.proxy.tls.ClientTls;
import io.pgsplit.proxy.tls.ServerTls;
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
    private volatile ClientAuthenticator authenticator;
    private volatile ClientTls clientTls;
    private volatile ServerTls serverTls;
    /** Outlives reloads: SCRAM keys clients proved stay valid while their user's secret does not change. */
    private final ServerLogins serverLogins = new ServerLogins();
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

    /** @param serverTls the server TLS the health monitor already uses, kept unless the configuration changes it */
    ProxyContext(PgSplitConfig config, StatementClassifier classifier, HealthMonitor health, ProxyMetrics metrics,
                 Executor slowWork, ServerTls serverTls) {
        this.health = health;
        this.metrics = metrics;
        this.slowWork = slowWork;
        this.serverTls = serverTls;
        apply(config, classifier);
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
                Map.of("user", key.user(), "database", key.database()), key.user(), serverLogin(key.user()));
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
                newConfig.limits().connectTimeout(), slowWork, nextServerTls);
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
