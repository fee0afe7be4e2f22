package io.pgsplit.proxy.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.pgsplit.proxy.ProxyContext;

/** Every accepted client starts with the startup handler, and counts as a client connection until it closes. */
public final class ClientChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final ProxyContext context;

    public ClientChannelInitializer(ProxyContext context) {
        this.context = context;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        context.metrics().clientConnected();
        channel.closeFuture().addListener(f -> context.metrics().clientDisconnected());
        channel.pipeline().addLast("startup", new StartupHandler(context));
    }
}
