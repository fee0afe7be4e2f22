package io.pgsplit.proxy.pool;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.ReferenceCountUtil;
import io.pgsplit.protocol.WireMessage;
import io.pgsplit.protocol.backend.AuthenticationOk;
import io.pgsplit.protocol.backend.ReadyForQuery;
import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.proxy.backend.BackendConnection;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A server on an in-memory address that trusts every user and ignores what clients send; tests make it speak or hang up. */
final class FakeReplica implements AutoCloseable {
    private final Map<SocketAddress, Channel> serverSides = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger highest = new java.util.concurrent.atomic.AtomicInteger();
    /** How long a backend takes to go after a Terminate: a busy server's does not vanish at once. */
    private volatile long terminateDelayMillis;
    private final Channel listener;
    final LocalAddress address;

    FakeReplica(EventLoopGroup group) {
        address = new LocalAddress(FakeReplica.class);
        listener = new ServerBootstrap()
                .group(group)
                .channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel channel) {
                        channel.pipeline().addLast(new ServerSide());
                    }
                })
                .bind(address)
                .syncUninterruptibly()
                .channel();
    }

    /** Sends {@code message} to the client end of {@code connection}, as its server would; returns once it is delivered. */
    void send(BackendConnection connection, WireMessage message) {
        Channel serverSide = serverSideOf(connection);
        serverSide.writeAndFlush(message.encode(serverSide.alloc())).syncUninterruptibly();
    }

    /** The server ends the connection (restart, idle timeout, pg_terminate_backend). */
    void hangUp(BackendConnection connection) {
        serverSideOf(connection).close();
    }

    /** Connections whose server end is still open. */
    int connectionCount() {
        return serverSides.size();
    }

    /** The most connections the server had open at once. */
    int highestConnectionCount() {
        return highest.get();
    }

    void terminateDelay(long millis) {
        terminateDelayMillis = millis;
    }

    private Channel serverSideOf(BackendConnection connection) {
        return serverSides.get(connection.channel().localAddress());
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
    }

    private final class ServerSide extends ChannelInboundHandlerAdapter {
        private boolean started;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            serverSides.put(ctx.channel().remoteAddress(), ctx.channel());
            highest.accumulateAndGet(serverSides.size(), Math::max);
        }

        /**
         * The first message is the StartupMessage: trust it. A Terminate ends the session, as PostgreSQL closes
         * after one. Anything else is dropped unanswered.
         */
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            boolean terminate = started && msg instanceof io.netty.buffer.ByteBuf bytes && bytes.isReadable()
                    && bytes.getByte(bytes.readerIndex()) == 'X';
            ReferenceCountUtil.release(msg);
            if (terminate) {
                // As PostgreSQL: the backend is gone (from pg_stat_activity) before its socket closes.
                ctx.executor().schedule(() -> {
                    serverSides.remove(ctx.channel().remoteAddress());
                    ctx.close();
                }, terminateDelayMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
            } else if (!started) {
                started = true;
                ctx.write(new AuthenticationOk().encode(ctx.alloc()));
                ctx.writeAndFlush(new ReadyForQuery(TransactionStatus.IDLE).encode(ctx.alloc()));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            serverSides.remove(ctx.channel().remoteAddress());
        }
    }
}
