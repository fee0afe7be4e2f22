package io.pgsplit.proxy.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.pgsplit.health.Topology;
import io.pgsplit.proxy.config.HostPort;
import io.pgsplit.proxy.frontdoor.FrontDoorStatus;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import io.pgsplit.proxy.config.TransportChoice;
import io.pgsplit.proxy.netty.Transport;
import io.pgsplit.proxy.netty.TransportSelection;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP admin listener: Prometheus metrics, liveness and readiness probes, a JSON status report
 * and an HTML status page. It has its own single event loop, so a scrape never delays client traffic
 * and a flood of admin requests cannot starve sessions.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final EventLoopGroup group;
    private final Channel listener;
    private final ChannelGroup connections;
    private final AdminRequestHandler handler;

    private AdminServer(EventLoopGroup group, Channel listener, ChannelGroup connections, AdminRequestHandler handler) {
        this.handler = handler;
        this.group = group;
        this.listener = listener;
        this.connections = connections;
    }

    /** Binds {@code address}; a bind failure is an {@link IllegalStateException} naming the address. */
    public static AdminServer start(HostPort address, Supplier<Topology> topology, ProxyMetrics metrics)
            throws InterruptedException {
        return start(address, topology, metrics, () -> RoutingState.NONE,
                TransportSelection.select(TransportChoice.AUTO).transport());
    }

    /**
     * @param routing   replica choice and routing catalogs for {@code /status}, read per request on the admin loop
     * @param transport the one the proxy's own listener uses
     */
    public static AdminServer start(HostPort address, Supplier<Topology> topology, ProxyMetrics metrics,
                                    Supplier<RoutingState> routing, Transport transport) throws InterruptedException {
        return start(address, new AdminRequestHandler(topology, metrics, routing), transport);
    }

    /**
     * @param process   version, uptime, config file and last reload, for {@code /status} and the page
     * @param frontDoor the client limits: while one keeps new clients out, {@code /ready} answers 503
     */
    public static AdminServer start(HostPort address, Supplier<Topology> topology, ProxyMetrics metrics,
                                    Supplier<RoutingState> routing, Supplier<ProcessStatus> process,
                                    Supplier<FrontDoorStatus> frontDoor, Transport transport) throws InterruptedException {
        return start(address, new AdminRequestHandler(topology, metrics, routing, process, frontDoor), transport);
    }

    private static AdminServer start(HostPort address, AdminRequestHandler handler, Transport transport)
            throws InterruptedException {
        EventLoopGroup group = transport.newGroup(1, "pgsplit-admin");
        ChannelGroup connections = new DefaultChannelGroup("pgsplit-admin-connections", group.next());
        ChannelFuture bind = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new AdminChannelInitializer(handler, connections))
                .bind(address.host(), address.port());
        try {
            bind.await();
        } catch (InterruptedException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        if (!bind.isSuccess()) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("cannot listen for admin requests on " + address + ": "
                    + bind.cause().getMessage(), bind.cause());
        }
        AdminServer admin = new AdminServer(group, bind.channel(), connections, handler);
        log.info("admin listening on http://{}:{}/", admin.address().getHostString(), admin.address().getPort());
        return admin;
    }

    /** The proxy is shutting down: /ready answers 503 from now on. */
    public void draining() {
        handler.draining();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Closes kept-alive connections too: shutting the event loop down does not close them. */
    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        connections.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
