package io.pgsplit.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.pgsplit.protocol.ProtocolException;
import io.pgsplit.protocol.SqlState;
import io.pgsplit.protocol.backend.ErrorResponse;
import io.pgsplit.protocol.startup.CancelRequest;
import io.pgsplit.protocol.startup.GssEncRequest;
import io.pgsplit.protocol.startup.SslRequest;
import io.pgsplit.protocol.startup.StartupPackets;
import io.pgsplit.proxy.netty.InboundBuffer;
import io.pgsplit.proxy.tls.ClientTls;

/**
 * Decides, from a client's first bytes, whether its connection is encrypted, then takes itself out of the pipeline
 * (the pattern of ShardingSphere's and Vert.x's PostgreSQL front ends):
 *
 * <ul>
 *   <li>SSLRequest: answered 'S' in the clear, and an {@link SslHandler} goes in where this handler was, ahead of the
 *       startup handler. Bytes that came after the SSLRequest, before the handshake, are refused: they were not
 *       encrypted and may have been injected by a man in the middle (CVE-2021-23214; PgBouncer's CVE-2021-3935).</li>
 *   <li>A TLS ClientHello straight away (PostgreSQL 17's direct TLS): the same SslHandler, and the handshake must
 *       agree on ALPN {@code postgresql} ({@link DirectTlsCheck}).</li>
 *   <li>GSSENCRequest goes on to the startup handler, which declines it; the client's next packet comes back here.</li>
 *   <li>CancelRequest goes on as it is: PostgreSQL accepts those unencrypted too.</li>
 *   <li>A plaintext StartupMessage goes on, unless {@code client_tls.mode} is require: then FATAL 28000.</li>
 * </ul>
 *
 * Only in the pipeline when client TLS is enabled; without it the startup handler declines SSLRequest itself.
 */
final class TlsNegotiationHandler extends ChannelInboundHandlerAdapter {
    /** A TLS record of type handshake: no startup packet can start like this (its length would be over 369 MB). */
    private static final int TLS_HANDSHAKE_RECORD = 0x16;
    private static final byte ACCEPT_TLS = 'S';
    private static final int PACKET_HEADER = 8;

    private final ClientTls tls;
    private final InboundBuffer inbound = new InboundBuffer();

    TlsNegotiationHandler(ClientTls tls) {
        this.tls = tls;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        inbound.append(ctx.alloc(), (ByteBuf) msg);
        try {
            while (inbound.readableBytes() > 0 && ctx.channel().isActive() && decide(ctx)) {
                // one packet at a time until the connection's kind is known
            }
        } catch (ProtocolException e) {
            handOver(ctx); // the startup handler reports malformed packets as it always does
        }
    }

    /** Returns true to look at the next packet, false to wait for more bytes or when done. */
    private boolean decide(ChannelHandlerContext ctx) {
        ByteBuf buf = inbound.buffer();
        int index = buf.readerIndex();
        if ((buf.getByte(index) & 0xFF) == TLS_HANDSHAKE_RECORD) {
            startTls(ctx, true);
            return false;
        }
        if (inbound.readableBytes() < PACKET_HEADER) {
            return false;
        }
        int length = StartupPackets.completePacketLength(buf, index);
        int code = buf.getInt(index + 4);
        if (code == SslRequest.CODE && length == SslRequest.LENGTH) {
            if (inbound.readableBytes() > length) {
                refuse(ctx, SqlState.PROTOCOL_VIOLATION, "received unencrypted data after SSL request");
                return false;
            }
            inbound.skip(length);
            ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte(ACCEPT_TLS));
            startTls(ctx, false);
            return false;
        }
        if (code == GssEncRequest.CODE) {
            if (length < 0) {
                return false;
            }
            ctx.fireChannelRead(inbound.takeSlice(length));
            return true;
        }
        if (code != CancelRequest.CODE && tls.required()) {
            refuse(ctx, SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "TLS is required: pgsplit accepts only encrypted connections (client_tls.mode is require); "
                            + "connect with sslmode=require or stricter");
            return false;
        }
        handOver(ctx);
        return false;
    }

    /** The SslHandler takes this handler's place; bytes already read (a direct ClientHello) go to it. */
    private void startTls(ChannelHandlerContext ctx, boolean direct) {
        SslHandler ssl = tls.newHandler(ctx.alloc());
        ctx.pipeline().addAfter(ctx.name(), "tls", ssl);
        if (direct) {
            ctx.pipeline().addAfter("tls", "direct-tls-check", new DirectTlsCheck(ssl));
        }
        handOver(ctx);
    }

    private void handOver(ChannelHandlerContext ctx) {
        ByteBuf rest = inbound.readableBytes() > 0 ? inbound.takeSlice(inbound.readableBytes()) : null;
        ctx.pipeline().remove(this);
        if (rest != null) {
            ctx.fireChannelRead(rest);
        }
    }

    private void refuse(ChannelHandlerContext ctx, String sqlState, String message) {
        inbound.skip(inbound.readableBytes());
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(ErrorResponse.fatal(sqlState, message).encode(ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        inbound.release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inbound.release();
        ctx.fireChannelInactive();
    }
}
