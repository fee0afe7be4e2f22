package io.pgsplit.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.pgsplit.health.HealthMonitor;
import io.pgsplit.health.HealthSettings;
import io.pgsplit.health.ProbeCredentials;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.proxy.config.HealthConfig;
import io.pgsplit.proxy.config.PgSplitConfig;
import io.pgsplit.proxy.config.RoutingConfig;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import io.pgsplit.proxy.netty.Transports;
import io.pgsplit.proxy.server.ClientChannelInitializer;
import io.pgsplit.router.RouterSettings;
import io.pgsplit.router.StatementClassifier;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running pgsplit: the client listener, the health monitor and the classifier, wired together. */
public final class PgSplitServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PgSplitServer.class);

    private final ProxyContext context;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final ExecutorService parserExecutor;
    private final Channel listener;

    private PgSplitServer(ProxyContext context, EventLoopGroup acceptor, EventLoopGroup workers,
                          ExecutorService parserExecutor, Channel listener) {
        this.context = context;
        this.acceptor = acceptor;
        this.workers = workers;
        this.parserExecutor = parserExecutor;
        this.listener = listener;
    }

    /** Starts health checks, waits briefly for the first round so roles are known, then listens. */
    public static PgSplitServer start(PgSplitConfig config) throws InterruptedException {
        ProxyMetrics metrics = new ProxyMetrics();
        ExecutorService parserExecutor = Executors.newFixedThreadPool(2, daemonThreads("pgsplit-parser"));
        StatementClassifier classifier = new StatementClassifier(routerSettings(config.routing()), parserExecutor);
        metrics.bindClassifier(classifier);
        classifier.classify("SELECT 1 FROM warm_up FOR UPDATE"); // loads JSqlParser's classes before the first client needs them
        HealthMonitor health = new HealthMonitor(serverAddresses(config), healthSettings(config.health()), probeCredentials(config.health()));
        health.start();
        Duration firstRound = config.health().interval().plus(config.health().timeout()).multipliedBy(2);
        if (!health.awaitFirstRound(firstRound)) {
            log.warn("not every server answered its first health probe within {} ms; starting anyway", firstRound.toMillis());
        }
        ProxyContext context = new ProxyContext(config, classifier, health, metrics);
        EventLoopGroup acceptor = Transports.newGroup(1, "pgsplit-accept");
        EventLoopGroup workers = Transports.newGroup(0, "pgsplit-io");
        try {
            Channel listener = new ServerBootstrap()
                    .group(acceptor, workers)
                    .channel(Transports.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childHandler(new ClientChannelInitializer(context))
                    .bind(config.listen().host(), config.listen().port())
                    .sync()
                    .channel();
            log.info("pgsplit listening on {} ({}), servers: {}", listener.localAddress(), Transports.name(), config.servers().size());
            return new PgSplitServer(context, acceptor, workers, parserExecutor, listener);
        } catch (RuntimeException | InterruptedException e) {
            acceptor.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            health.close();
            parserExecutor.shutdownNow();
            throw e;
        }
    }

    public InetSocketAddress listenAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    public ProxyContext context() {
        return context;
    }

    public ProxyMetrics metrics() {
        return context.metrics();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        context.health().close();
        parserExecutor.shutdownNow();
        log.info("pgsplit stopped");
    }

    static List<ServerAddress> serverAddresses(PgSplitConfig config) {
        return config.servers().stream().map(ProxyContext::address).toList();
    }

    static HealthSettings healthSettings(HealthConfig health) {
        return new HealthSettings(health.interval(), health.timeout(), health.fall(), health.rise(),
                health.maxReplicaLagBytes(), health.maxReplicaLagTime().orElse(null));
    }

    static ProbeCredentials probeCredentials(HealthConfig health) {
        return new ProbeCredentials(health.user(), health.password(), health.database());
    }

    static RouterSettings routerSettings(RoutingConfig routing) {
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
