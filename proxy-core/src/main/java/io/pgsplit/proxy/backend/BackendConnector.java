package io.pgsplit.proxy.backend;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.pgsplit.protocol.auth.SaltedPasswordCache;
import io.pgsplit.protocol.startup.StartupMessage;
import io.pgsplit.proxy.auth.ServerLogin;
import io.pgsplit.proxy.config.ServerTlsConfig;
import io.pgsplit.proxy.tls.ServerTls;
import io.pgsplit.proxy.state.StartupSettings;
import io.pgsplit.proxy.netty.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Opens authenticated server connections on the caller's event loop, so the client session and its
 * servers share one thread and never need locks (as in Netty's HexDumpProxy).
 */
public final class BackendConnector {
    /** Shared by every connector (and so across reloads): a role's salt outlives a configuration. */
    private static final SaltedPasswordCache SALTED_PASSWORDS = new SaltedPasswordCache(1024);

    private final int maxMessageSize;
    private final Duration connectTimeout;
    private final Executor slowWork;
    private final ServerTls tls;
    private final ServerAddressResolver resolver;
    private final ServerChannels channels;

    /**
     * @param slowWork where SCRAM key derivation runs, off the event loops
     * @param tls      server_tls: every connection starts with SSLRequest unless it is disabled
     * @param resolver turns host names into addresses off the event loops
     * @param channels where every connection opened is kept until it closes, so stopping the proxy closes it
     */
    public BackendConnector(int maxMessageSize, Duration connectTimeout, Executor slowWork, ServerTls tls,
                            ServerAddressResolver resolver, ServerChannels channels) {
        this.maxMessageSize = maxMessageSize;
        this.connectTimeout = connectTimeout;
        this.slowWork = slowWork;
        this.tls = tls;
        this.resolver = resolver;
        this.channels = channels;
    }

    /**
     * Resolves {@code host} (off the loop), connects to it, negotiates TLS as server_tls says, sends a
     * StartupMessage with {@code startupParameters}, and authenticates as {@code user} with
     * {@code login}. Completes on {@code loop} once the server is ready for queries, or exceptionally
     * with a {@link BackendStartupException} within the connect timeout, which covers the name lookup too.
     */
    public CompletableFuture<BackendConnection> connect(EventLoop loop, String serverName, String host, int port,
                                                        Map<String, String> startupParameters, String user, ServerLogin login) {
        CompletableFuture<BackendConnection> ready = new CompletableFuture<>();
        ScheduledFuture<?> timeout = loop.schedule(() -> ready.completeExceptionally(new BackendStartupException(
                "server " + serverName + " did not complete startup within " + connectTimeout.toMillis() + " ms",
                (Throwable) null)), connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        ready.whenComplete((connection, error) -> timeout.cancel(false));
        resolver.resolve(host, port).whenComplete((address, error) -> {
            if (error != null) {
                ready.completeExceptionally(new BackendStartupException("could not resolve the host name of server "
                        + serverName + " (" + host + "): " + rootMessage(error), error));
            } else if (loop.inEventLoop()) {
                open(loop, serverName, host, address, startupParameters, user, login, ready);
            } else {
                try {
                    loop.execute(() -> open(loop, serverName, host, address, startupParameters, user, login, ready));
                } catch (RejectedExecutionException stopped) {
                    ready.completeExceptionally(new BackendStartupException("pgsplit is shutting down: no new connection"
                            + " to server " + serverName, stopped));
                }
            }
        });
        return ready;
    }

    /** @param host the configured name, which verify-full checks the certificate against */
    private void open(EventLoop loop, String serverName, String host, InetSocketAddress address,
                      Map<String, String> startupParameters, String user, ServerLogin login,
                      CompletableFuture<BackendConnection> ready) {
        if (ready.isDone()) {
            return; // the connect timeout passed while the name was being looked up
        }
        if (loop.isShuttingDown()) {
            // The loop closes its channels once as it stops; one registered after that would outlive it, with its
            // server backend, and the timeout that would end this wait was cancelled with the loop's other tasks.
            ready.completeExceptionally(new BackendStartupException("pgsplit is shutting down: no new connection to server "
                    + serverName, (Throwable) null));
            return;
        }
        BackendHandler handler = new BackendHandler(new BackendAuthenticator(user, login, SALTED_PASSWORDS), slowWork,
                StartupMessage.v3(startupParameters).encode(ByteBufAllocator.DEFAULT), maxMessageSize, ready, serverName);
        ChannelFuture connect = new Bootstrap()
                .group(loop)
                .channel(Transport.of(loop).socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .disableResolver() // resolved above: an unresolved address here must fail, never block the loop
                .handler(pipeline(handler, serverName, host, address.getPort()))
                .connect(address);
        Channel channel = connect.channel();
        channels.add(channel);
        handler.connection(new BackendConnection(serverName, channel, StartupSettings.of(startupParameters)));
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                ready.completeExceptionally(new BackendStartupException("could not connect to server " + serverName
                        + " (" + address.getHostString() + ":" + address.getPort() + "): " + rootMessage(f.cause()), f.cause()));
            }
        });
        ready.whenComplete((connection, error) -> {
            if (error != null) {
                channel.close();
            }
        });
    }

    /** TLS negotiation first, as its own step, when server_tls is not disabled. */
    private ChannelHandler pipeline(BackendHandler handler, String serverName, String host, int port) {
        if (tls.mode() == ServerTlsConfig.Mode.DISABLE) {
            return handler;
        }
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast("tls-negotiation", new ServerTlsNegotiation(tls, serverName, host, port));
                channel.pipeline().addLast("server", handler);
            }
        };
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
