package io.pgsplit.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.pgsplit.protocol.startup.SslRequest;
import io.pgsplit.proxy.config.ServerTlsConfig;
import io.pgsplit.proxy.tls.ServerTls;
import javax.net.ssl.SSLHandshakeException;

/**
 * The first step of a server connection under {@code server_tls}: SSLRequest, the server's one-byte answer, then
 * (on 'S') the TLS handshake, and only then the channel counts as active for the {@link BackendHandler} behind it,
 * which sends the StartupMessage. A server that answers 'N' gets plaintext under prefer and is refused under
 * require and stricter, as libpq does. Removes itself when done.
 */
final class ServerTlsNegotiation extends ChannelInboundHandlerAdapter {
    private final ServerTls tls;
    private final String serverName;
    private final String host;
    private final int port;
    private boolean answered;
    private boolean failed;

    ServerTlsNegotiation(ServerTls tls, String serverName, String host, int port) {
        this.tls = tls;
        this.serverName = serverName;
        this.host = host;
        this.port = port;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(new SslRequest().encode(ctx.alloc()));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf answer = (ByteBuf) msg;
        try {
            if (answered) {
                ctx.fireChannelRead(answer.retain()); // after the handshake, before this handler is gone
                return;
            }
            answered = true;
            byte reply = answer.readByte();
            if (reply == 'S' && answer.isReadable()) {
                // Bytes before the handshake were not encrypted: a man in the middle may have sent them (CVE-2021-23222).
                fail(ctx, "server " + serverName + " sent unencrypted data after its SSL response");
            } else if (reply == 'S') {
                ctx.pipeline().addBefore(ctx.name(), "tls", tls.newHandler(ctx.alloc(), serverName, host, port));
            } else if (reply == 'N' && !tls.mode().requiresTls()) {
                ctx.pipeline().remove(this);
                ctx.fireChannelActive();
            } else if (reply == 'N') {
                fail(ctx, "server " + serverName + " (" + host + ":" + port + ") does not accept TLS connections, but server_tls.mode is "
                        + tls.mode().configName());
            } else {
                fail(ctx, "server " + serverName + " answered the SSL request with '" + (char) reply + "' instead of S or N");
            }
        } finally {
            answer.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent completion) {
            if (completion.isSuccess()) {
                ctx.pipeline().remove(this);
                ctx.fireChannelActive();
            } else {
                fail(ctx, handshakeFailure(completion.cause()));
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause.getCause() instanceof SSLHandshakeException || cause instanceof SSLHandshakeException) {
            fail(ctx, handshakeFailure(cause));
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }

    private String handshakeFailure(Throwable cause) {
        // The certificate check's own explanation where there is one, else the innermost message.
        Throwable root = cause;
        while (root.getCause() != null && !(root instanceof java.security.cert.CertificateException)) {
            root = root.getCause();
        }
        String check = switch (tls.mode()) {
            case VERIFY_FULL -> "its certificate must chain to server_tls.ca_file and name "
                    + tls.verifiedName(serverName, host);
            case VERIFY_CA -> "its certificate must chain to server_tls.ca_file";
            default -> tls.mode() == ServerTlsConfig.Mode.REQUIRE ? "server_tls.mode is require" : "server_tls.mode is prefer";
        };
        return "TLS handshake with server " + serverName + " (" + host + ":" + port + ") failed (" + check + "): "
                + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
    }

    /** Once: the handler behind reports it as the connection's startup failure and closes. */
    private void fail(ChannelHandlerContext ctx, String reason) {
        if (!failed) {
            failed = true;
            ctx.fireExceptionCaught(new BackendStartupException(reason, (Throwable) null));
        }
    }
}
