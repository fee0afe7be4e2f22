package io.pgsplit.proxy.cancel;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.protocol.startup.CancelRequest;
import io.pgsplit.proxy.backend.BackendKey;
import io.pgsplit.proxy.backend.ServerAddressResolver;
import io.pgsplit.proxy.netty.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends a CancelRequest on a new connection to the server, as libpq does, then closes it. */
public final class CancelForwarder {
    private static final Logger log = LoggerFactory.getLogger(CancelForwarder.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final ServerAddressResolver resolver;

    public CancelForwarder(ServerAddressResolver resolver) {
        this.resolver = resolver;
    }

    /** Resolves the server's name off the loop, then connects from {@code loop}. */
    public void forward(EventLoop loop, ServerAddress server, BackendKey key) {
        resolver.resolve(server.host(), server.port()).whenComplete((address, error) -> {
            if (error != null) {
                log.warn("could not forward a cancel request to {}: {}", server.name(), error.getMessage());
            } else {
                loop.execute(() -> send(loop, server, address, key));
            }
        });
    }

    private static void send(EventLoop loop, ServerAddress server, InetSocketAddress address, BackendKey key) {
        new Bootstrap()
                .group(loop)
                .channel(Transport.of(loop).socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .disableResolver()
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        ctx.writeAndFlush(new CancelRequest(key.processId(), key.secretKey()).encode(ctx.alloc()))
                                .addListener(ChannelFutureListener.CLOSE);
                    }
                })
                .connect(address)
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        log.warn("could not forward a cancel request to {}: {}", server.name(), f.cause().getMessage());
                    }
                });
    }
}
