package io.pgsplit.proxy.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.pgsplit.proxy.tls.ClientTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL 17's direct TLS skips the SSLRequest, so only ALPN says the client speaks PostgreSQL inside the TLS
 * channel (and not, say, HTTP sent to the wrong port): without {@code postgresql} negotiated the connection closes,
 * as PostgreSQL closes it. Removes itself after the handshake.
 */
final class DirectTlsCheck extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(DirectTlsCheck.class);

    private final SslHandler ssl;

    DirectTlsCheck(SslHandler ssl) {
        this.ssl = ssl;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent completion) {
            // The JDK engine's own answer: Netty's applicationProtocol() knows only engines it wrapped itself.
            if (completion.isSuccess() && !ClientTls.ALPN_PROTOCOL.equals(ssl.engine().getApplicationProtocol())) {
                log.info("client {}: direct TLS connection without ALPN protocol {}; closing",
                        ctx.channel().remoteAddress(), ClientTls.ALPN_PROTOCOL);
                ctx.close();
                return;
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(event);
    }
}
