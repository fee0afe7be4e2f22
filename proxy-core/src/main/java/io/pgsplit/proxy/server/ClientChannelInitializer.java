package io.pgsplit.proxy.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.pgsplit.proxy.ProxyContext;
import io.pgsplit.proxy.tls.ClientTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every accepted client starts with the startup handler (behind the TLS negotiation when client TLS is on, with the
 * TLS configuration current at accept time), and counts as a client connection until it closes.
 */
public final class ClientChannelInitializer extends ChannelInitializer<SocketChannel> {
    private static final Logger log = LoggerFactory.getLogger(ClientChannelInitializer.class);

    private final ProxyContext context;

    public ClientChannelInitializer(ProxyContext context) {
        this.context = context;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        context.metrics().clientConnected();
        log.debug("client {} connected", channel.remoteAddress());
        channel.closeFuture().addListener(f -> {
            context.metrics().clientDisconnected();
            log.debug("client {} disconnected", channel.remoteAddress());
        });
        ClientTls tls = context.clientTls();
        if (tls.enabled()) {
            channel.pipeline().addLast("tls-negotiation", new TlsNegotiationHandler(tls));
        }
        channel.pipeline().addLast("startup", new StartupHandler(context));
    }
}
