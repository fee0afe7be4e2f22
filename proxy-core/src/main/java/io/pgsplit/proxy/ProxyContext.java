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
import io.pgsplit.proxy.metrics.ProxyMetrics;
import io.pgsplit.proxy.session.ClientSession;
import io.pgsplit.router.RoundRobin;
import io.pgsplit.router.StatementClassifier;

/**
 * The services every session shares: configuration, classifier, topology, connector, metrics and
 * the cancel registry. All of them are safe to use from any event loop.
 */
public final class ProxyContext {
    /** Requests larger than this are not buffered whole before routing; see SegmentScanner. */
    private static final int MAX_BUFFERED_REQUEST = 1 << 20;

    private final PgSplitConfig config;
    private final StatementClassifier classifier;
    private final HealthMonitor health;
    private final BackendConnector connector;
    private final ProxyMetrics metrics;
    private final CancelRegistry cancels = new CancelRegistry();
    private final CancelForwarder cancelForwarder = new CancelForwarder();
    private final RoundRobin replicaRotation = new RoundRobin();
    private final ClientAuthExchanges authExchanges;

    ProxyContext(PgSplitConfig config, StatementClassifier classifier, HealthMonitor health, ProxyMetrics metrics) {
        this.config = config;
        this.classifier = classifier;
        this.health = health;
        this.metrics = metrics;
        this.connector = new BackendConnector(config.limits().maxMessageSize(), config.limits().connectTimeout());
        this.authExchanges = new ClientAuthExchanges(config.users());
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

    static ServerAddress address(ServerConfig server) {
        return new ServerAddress(server.name(), server.host(), server.port());
    }

    public void sessionClosed(ClientSession session) {
        cancels.unregister(session);
    }
}
