package io.pgsplit.proxy.backend;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.pgsplit.protocol.auth.SaltedPasswordCache;
import io.pgsplit.protocol.startup.StartupMessage;
import io.pgsplit.proxy.auth.ServerLogin;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Real server connections (BackendConnection behind a BackendHandler) over in-memory channels, for tests of other packages. */
public final class TestBackendConnections {
    private static final int MAX_MESSAGE_SIZE = 1 << 20;

    private TestBackendConnections() {
    }

    /**
     * Connects on {@code loop} to a fake server bound at {@code server}, which must trust the user
     * (answer the StartupMessage with AuthenticationOk and ReadyForQuery). Completes on {@code loop}.
     */
    public static CompletableFuture<BackendConnection> connect(EventLoop loop, LocalAddress server, String serverName, String user) {
        CompletableFuture<BackendConnection> ready = new CompletableFuture<>();
        if (loop.inEventLoop()) {
            open(loop, server, serverName, user, ready);
        } else {
            // As BackendConnector does: off the loop, the fake server's answer could complete the startup before
            // the handler is given its connection, and the future would complete with null.
            loop.execute(() -> open(loop, server, serverName, user, ready));
        }
        return ready;
    }

    private static void open(EventLoop loop, LocalAddress server, String serverName, String user,
                             CompletableFuture<BackendConnection> ready) {
        BackendHandler handler = new BackendHandler(new BackendAuthenticator(user, new ServerLogin.None("trusted by the fake server"), new SaltedPasswordCache(1)), Runnable::run,
                StartupMessage.v3(Map.of("user", user)).encode(ByteBufAllocator.DEFAULT), MAX_MESSAGE_SIZE, ready, serverName);
        ChannelFuture connect = new Bootstrap().group(loop).channel(LocalChannel.class).handler(handler).connect(server);
        handler.connection(new BackendConnection(serverName, connect.channel(), java.util.Map.of()));
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                ready.completeExceptionally(f.cause());
            }
        });
    }
}
