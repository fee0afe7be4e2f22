package io.pgsplit.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.pgsplit.proxy.session.SessionIo;
import io.pgsplit.proxy.session.SessionMachine;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin Netty side of an authenticated client: channel events become calls on its
 * {@link SessionMachine}, and what the machine asks for (write, flush, read on or off, close,
 * run later) is carried out on the channel and its event loop.
 */
final class ClientSessionHandler extends ChannelInboundHandlerAdapter implements SessionIo {
    private static final Logger log = LoggerFactory.getLogger(ClientSessionHandler.class);

    private final Channel channel;
    private final String peer;
    private SessionMachine machine;

    ClientSessionHandler(Channel channel) {
        this.channel = channel;
        this.peer = String.valueOf(channel.remoteAddress());
    }

    /** Before the handler is added to the pipeline. */
    void bind(SessionMachine machine) {
        this.machine = machine;
    }

    // ---------------------------------------------------------------- channel events

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        machine.onClientData((ByteBuf) msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        machine.onClientReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        machine.onClientWritabilityChanged(channel.isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        machine.onClientClosed();
        ctx.fireChannelInactive();
    }

    /** A reset by the client is routine; anything else is worth an operator's look. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("client {}: {}", peer, cause.toString());
        } else {
            log.warn("client {}: closing after an unexpected error", peer, cause);
        }
        ctx.close();
    }

    // ---------------------------------------------------------------- SessionIo

    @Override
    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    @Override
    public void write(ByteBuf messages) {
        channel.write(messages, channel.voidPromise());
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public void reading(boolean on) {
        if (channel.config().isAutoRead() != on) { // asked per request; a plain read when nothing changes
            channel.config().setAutoRead(on);
        }
    }

    @Override
    public void close() {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void execute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        ScheduledFuture<?> scheduled = channel.eventLoop().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        return () -> scheduled.cancel(false);
    }

    @Override
    public String peer() {
        return peer;
    }
}
