package io.pgsplit.proxy.frontdoor;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code limits.client_idle_timeout}: closes an authenticated client that has been idle that long —
 * nothing in flight and no transaction open, as PostgreSQL's idle_session_timeout (and PgBouncer's
 * client_idle_timeout, which spares clients linked to a server) — with FATAL 57P05. A client inside a
 * transaction or waiting for an answer is never closed here, however long it takes.
 *
 * <p>Idle time counts from the last byte either way: the last read from the client or the last write
 * to it (the ReadyForQuery that ended its last request). Marking a timestamp per read and write costs
 * less than Netty's IdleStateHandler, which gives every write its own promise; one timer per client
 * looks again when the timeout could next be reached.
 */
public final class ClientIdleTimeout extends ChannelDuplexHandler {
    private final BooleanSupplier idle;
    private final Runnable closeIdle;
    private final long timeoutNanos;
    private final RefusalLog refusals;
    private long lastActivity;
    private ScheduledFuture<?> check;

    /**
     * @param idle      whether the session has nothing in flight and no transaction (ClientSession::isIdle)
     * @param closeIdle closes it with FATAL 57P05 (ClientSession::closeIdle)
     */
    public ClientIdleTimeout(BooleanSupplier idle, Runnable closeIdle, Duration timeout, RefusalLog refusals) {
        this.idle = idle;
        this.closeIdle = closeIdle;
        this.timeoutNanos = timeout.toNanos();
        this.refusals = refusals;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (check == null) {
            lastActivity = now(ctx);
            check = ctx.executor().schedule(() -> check(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastActivity = now(ctx);
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        lastActivity = now(ctx);
        ctx.write(msg, promise);
    }

    private void check(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            return;
        }
        long quiet = now(ctx) - lastActivity;
        if (quiet < timeoutNanos) {
            check = ctx.executor().schedule(() -> check(ctx), timeoutNanos - quiet, TimeUnit.NANOSECONDS);
        } else if (idle.getAsBoolean()) {
            refusals.refused(Refusal.CLIENT_IDLE_TIMEOUT, ctx.channel().remoteAddress(), ctx.executor());
            closeIdle.run();
        } else {
            // Busy (a long query) or in a transaction: not idle; its end will write, and count from there.
            check = ctx.executor().schedule(() -> check(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    private static long now(ChannelHandlerContext ctx) {
        return ctx.executor().ticker().nanoTime();
    }
}
