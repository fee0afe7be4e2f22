package io.pgsplit.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.pgsplit.health.HealthMonitor;
import io.pgsplit.health.HealthSettings;
import io.pgsplit.health.ProbeCredentials;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.proxy.admin.AdminServer;
import io.pgsplit.proxy.admin.ProcessState;
import io.pgsplit.proxy.admin.RoutingState;
import io.pgsplit.proxy.config.ConfigWarnings;
import io.pgsplit.proxy.config.HealthConfig;
import io.pgsplit.proxy.config.PgSplitConfig;
import io.pgsplit.proxy.config.PoolMode;
import io.pgsplit.proxy.server.OpenFileLimit;
import io.pgsplit.proxy.config.RoutingConfig;
import io.pgsplit.proxy.config.ServerConfig;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import io.pgsplit.proxy.netty.Transport;
import io.pgsplit.proxy.netty.TransportSelection;
import io.pgsplit.proxy.server.ClientChannelInitializer;
import io.pgsplit.proxy.tls.ServerTls;
import io.pgsplit.proxy.session.ClientSession;
import io.pgsplit.router.RouterSettings;
import io.pgsplit.router.StatementClassifier;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running pgsplit: the client listener, the health monitor and the classifier, wired together. */
public final class PgSplitServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PgSplitServer.class);

    private final ProxyContext context;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final ExecutorService workExecutor;
    private final Channel listener;
    private final AdminServer admin; // null without an admin address
    private final ProcessState process;
    private static final Duration SERVER_CLOSE_WAIT = Duration.ofSeconds(2);
    private final AtomicBoolean closed = new AtomicBoolean();

    private PgSplitServer(ProxyContext context, EventLoopGroup acceptor, EventLoopGroup workers,
                          ExecutorService workExecutor, Channel listener, AdminServer admin, ProcessState process) {
        this.process = process;
        this.context = context;
        this.acceptor = acceptor;
        this.workers = workers;
        this.workExecutor = workExecutor;
        this.listener = listener;
        this.admin = admin;
    }

    /** Starts health checks, waits briefly for the first round so roles are known, then listens. */
    public static PgSplitServer start(PgSplitConfig config) throws InterruptedException {
        return start(config, null);
    }

    /** @param configFile the file the configuration was read from, shown on the status page; null for none */
    public static PgSplitServer start(PgSplitConfig config, Path configFile) throws InterruptedException {
        ProcessState process = new ProcessState(PgSplitBuild.version(),
                configFile == null ? null : configFile.toAbsolutePath().toString(), Clock.systemUTC());
        ProxyMetrics metrics = new ProxyMetrics();
        // Off-loop work: JSqlParser on a cache miss, SCRAM key derivation for new server connections.
        ExecutorService workExecutor = Executors.newFixedThreadPool(2, daemonThreads("pgsplit-work"));
        StatementClassifier classifier = new StatementClassifier(routerSettings(config.routing()), workExecutor);
        metrics.bindClassifier(classifier);
        classifier.classify("SELECT 1 FROM warm_up FOR UPDATE"); // loads JSqlParser's classes before the first client needs them
        ServerTls serverTls = ServerTls.of(config.security().serverTls(), config.servers());
        HealthMonitor health = new HealthMonitor(serverAddresses(config), healthSettings(config.health()),
                probeCredentials(config.health(), serverTls));
        health.start();
        metrics.bindTopology(health::topology);
        metrics.bindJvmAndProcess();
        Duration firstRound = config.health().interval().plus(config.health().timeout()).multipliedBy(2);
        if (!health.awaitFirstRound(firstRound)) {
            log.warn("not every server answered its first health probe within {} ms; starting anyway", firstRound.toMillis());
        }
        ConfigWarnings.of(config).forEach(warning -> log.warn("{}", warning));
        checkServerCapacities(config);
        ProxyContext context = new ProxyContext(config, classifier, health, metrics, workExecutor, serverTls);
        awaitFirstCatalogs(context, firstRound);
        OpenFileLimit.check(OpenFileLimit.needed(config.limits().maxClientConnections(),
                config.pool().mode() == PoolMode.SESSION || config.users().stream().anyMatch(
                        user -> user.poolMode().orElse(null) == PoolMode.SESSION),
                config.servers().size() * Math.max(config.pool().replicaMaxPerServer(), config.pool().primaryMaxPerServer())));
        TransportSelection selection = TransportSelection.select(config.transport());
        selection.log(log);
        Transport transport = selection.transport();
        metrics.transport(transport.configName());
        EventLoopGroup acceptor = transport.newGroup(1, "pgsplit-accept");
        EventLoopGroup workers = transport.newGroup(config.ioThreads().count(), "pgsplit-io");
        try {
            Channel listener = new ServerBootstrap()
                    .group(acceptor, workers)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childHandler(new ClientChannelInitializer(context))
                    .bind(config.listen().host(), config.listen().port())
                    .sync()
                    .channel();
            log.info("pgsplit listening on {} ({}, {} I/O threads), servers: {}", listener.localAddress(),
                    transport.configName(), config.ioThreads().describe(), config.servers().size());
            AdminServer admin = config.admin().isEmpty() ? null : AdminServer.start(config.admin().get(), health::topology, metrics,
                    () -> RoutingState.capture(context.replicaSelector(),
                            context.config().servers().stream().map(ServerConfig::name).toList(), context.catalogs()),
                    process::status, context.frontDoor()::status, transport);
            return new PgSplitServer(context, acceptor, workers, workExecutor, listener, admin, process);
        } catch (RuntimeException | InterruptedException e) {
            acceptor.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            health.close();
            workExecutor.shutdownNow();
            metrics.close();
            throw e;
        }
    }

    /** Each server's max_connections against session mode's needs, read on a thread of its own so that start-up does not wait. */
    private static void checkServerCapacities(PgSplitConfig config) {
        Thread check = new Thread(() -> ServerCapacities.check(config, config.health().timeout().multipliedBy(5))
                .forEach(line -> log.warn("{}", line)), "pgsplit-capacity-check");
        check.setDaemon(true);
        check.start();
    }

    /** So that the first reads that call functions already know them: each database's catalog, read once. */
    private static void awaitFirstCatalogs(ProxyContext context, Duration max) throws InterruptedException {
        try {
            context.catalogs().start().get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("the routing catalogs were not read within {} ms; function calls go to the primary until they are",
                    max.toMillis());
        }
    }

    public InetSocketAddress listenAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** The admin HTTP listener's address; empty when the config has no {@code admin}. */
    public Optional<InetSocketAddress> adminAddress() {
        return Optional.ofNullable(admin).map(AdminServer::address);
    }

    public ProxyContext context() {
        return context;
    }

    public ProxyMetrics metrics() {
        return context.metrics();
    }

    /**
     * Graceful stop (SIGTERM): stop accepting, let open transactions and groups finish for up to
     * {@code timeout}, then close the sessions left with {@code 57P01}, as PostgreSQL does on a
     * fast shutdown, and release everything.
     */
    public void shutdown(Duration timeout) {
        if (admin != null) {
            admin.draining();
        }
        listener.close().syncUninterruptibly();
        List<ClientSession> open = List.copyOf(context.sessions());
        log.info("shutting down: no new connections; waiting up to {} ms for {} sessions to finish their transactions",
                timeout.toMillis(), open.size());
        open.forEach(ClientSession::shutdownWhenIdle);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!context.sessions().isEmpty() && System.nanoTime() < deadline) {
            sleepBriefly();
        }
        List<ClientSession> left = List.copyOf(context.sessions());
        if (!left.isEmpty()) {
            log.warn("shutdown timeout: closing {} sessions that are still busy", left.size());
            left.forEach(ClientSession::closeForShutdown);
            long grace = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (!context.sessions().isEmpty() && System.nanoTime() < grace) {
                sleepBriefly();
            }
        }
        close();
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Applies a new configuration without dropping anyone: added servers are probed and get work
     * once healthy; removed servers drain (no new work, open work finishes, then their
     * connections close); users, limits, routing and health settings take effect for new
     * requests. The listen and admin addresses, the transport and io_threads need a restart.
     */
    public synchronized void reload(PgSplitConfig next) {
        PgSplitConfig previous = context.config();
        if (!next.listen().equals(previous.listen()) || !next.admin().equals(previous.admin())) {
            log.warn("reload: listen/admin addresses changed; they take effect only after a restart");
        }
        if (next.transport() != previous.transport()) {
            log.warn("reload: transport changed from {} to {}; it takes effect only after a restart",
                    previous.transport().configName(), next.transport().configName());
        }
        if (next.ioThreads().count() != previous.ioThreads().count()) {
            log.warn("reload: io_threads changed from {} to {}; it takes effect only after a restart",
                    previous.ioThreads().describe(), next.ioThreads().describe());
        }
        StatementClassifier classifier = next.routing().sameClassifier(previous.routing())
                ? context.classifier()
                : new StatementClassifier(routerSettings(next.routing()), workExecutor);
        for (ServerConfig server : previous.servers()) {
            if (next.servers().stream().noneMatch(server::sameServer)) {
                context.pools().retire(server.name()); // removed, or moved to another address
                context.primaryPools().retire(server.name());
            }
        }
        context.apply(next, classifier);
        context.health().reconfigure(serverAddresses(next), healthSettings(next.health()),
                probeCredentials(next.health(), context.serverTls()));
        context.metrics().configReload("ok");
        String applied = next.servers().size() + " servers, " + next.users().size() + " users";
        process.reloaded(ProxyMetrics.RELOAD_OK, applied);
        log.info("configuration reloaded: {}", applied);
    }

    /** A new configuration was rejected whole; the running one stays. */
    public void reloadRejected(String why) {
        context.metrics().configReload("error");
        process.reloaded(ProxyMetrics.RELOAD_ERROR, why);
        log.error("configuration reload rejected, keeping the running configuration: {}", why);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        listener.close().syncUninterruptibly();
        if (admin != null) {
            admin.close();
        }
        context.pools().close(); // queued clients fail now; nothing waits for a slot while the connections close
        context.primaryPools().close();
        // Each server connection is closed on its own loop while the loops still run: a stopping loop closes what is
        // registered with it, but one it missed would outlive the proxy, and its server backend with it.
        context.serverChannels().closeAll(SERVER_CLOSE_WAIT);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        int leftOpen = context.serverChannels().openCount();
        if (leftOpen > 0) {
            log.warn("{} server connections are still open after pgsplit stopped", leftOpen);
        }
        context.health().close();
        context.catalogs().close();
        workExecutor.shutdownNow();
        context.metrics().close();
        log.info("pgsplit stopped");
    }

    static List<ServerAddress> serverAddresses(PgSplitConfig config) {
        return config.servers().stream().map(ProxyContext::address).toList();
    }

    static HealthSettings healthSettings(HealthConfig health) {
        return new HealthSettings(health.interval(), health.timeout(), health.fall(), health.rise(),
                health.maxReplicaLagBytes(), health.maxReplicaLagTime().orElse(null));
    }

    /** The probes log in like every other server connection, TLS included (a client certificate may be their login). */
    static ProbeCredentials probeCredentials(HealthConfig health, ServerTls serverTls) {
        return new ProbeCredentials(health.user(), health.password(), health.database(), serverTls);
    }

    public static RouterSettings routerSettings(RoutingConfig routing) {
        return new RouterSettings(new HashSet<>(routing.writeFunctions()), routing.classifierCacheSize(), routing.parseTimeout());
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
