package io.pgsplit.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.pgsplit.protocol.auth.SaltedPasswordCache;
import io.pgsplit.protocol.backend.AuthenticationOk;
import io.pgsplit.protocol.backend.BackendKeyData;
import io.pgsplit.protocol.backend.ParameterStatus;
import io.pgsplit.protocol.backend.ReadyForQuery;
import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.protocol.startup.StartupMessage;
import io.pgsplit.proxy.auth.ServerLogin;
import io.pgsplit.proxy.state.StartupSettings;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A real {@link BackendConnection} behind its real {@link BackendHandler} over an {@link EmbeddedChannel}, past its
 * startup (trust, ReadyForQuery 'I'); the benchmark plays the server on the channel. In this package, inside the
 * bench module, for the package-private constructors of BackendConnection and BackendAuthenticator.
 */
public final class EmbeddedBackends {
    private static final int MAX_MESSAGE_SIZE = 1 << 20;
    private static int nextProcessId = 1000;

    private EmbeddedBackends() {
    }

    /**
     * @param channel a new, unregistered channel ({@code new EmbeddedChannel(false, true)})
     * @param loop    the client's loop (an EmbeddedEventLoop): in pgsplit a client and its servers share one loop,
     *                and the pools file a connection under its channel's loop
     */
    public static BackendConnection started(String serverName, EmbeddedChannel channel, Map<String, String> startupParameters,
                                            EventLoop loop) {
        CompletableFuture<BackendConnection> ready = new CompletableFuture<>();
        BackendHandler handler = new BackendHandler(new BackendAuthenticator(startupParameters.get("user"),
                new ServerLogin.None("trusted by the benchmark"), new SaltedPasswordCache(1)), Runnable::run,
                StartupMessage.v3(startupParameters).encode(ByteBufAllocator.DEFAULT), MAX_MESSAGE_SIZE, ready, serverName);
        BackendConnection connection = new BackendConnection(serverName, channel, StartupSettings.of(startupParameters));
        handler.connection(connection);
        channel.pipeline().addLast(handler);
        ChannelFuture registered = loop.register(channel);
        if (!registered.isSuccess()) {
            throw new IllegalStateException("could not register " + serverName + "'s channel", registered.cause());
        }
        Object startup;
        while ((startup = channel.readOutbound()) != null) {
            ReferenceCountUtil.release(startup);
        }
        ByteBuf replies = channel.alloc().buffer();
        new AuthenticationOk().encode(replies);
        new ParameterStatus("server_version", "15.0").encode(replies);
        new ParameterStatus("client_encoding", "UTF8").encode(replies);
        new BackendKeyData(nextProcessId++, 42).encode(replies);
        new ReadyForQuery(TransactionStatus.IDLE).encode(replies);
        channel.writeInbound(replies);
        if (!ready.isDone() || ready.isCompletedExceptionally()) {
            throw new IllegalStateException(serverName + " did not complete its startup");
        }
        return connection;
    }
}
