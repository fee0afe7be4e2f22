package io.pgsplit.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.pgsplit.health.Topology;
import io.pgsplit.proxy.ProxyContext;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.backend.BackendKey;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One client session as the rest of the proxy sees it: the cancel registry, the session list that
 * follows topology changes, and shutdown. Calls from other threads hop onto the session's event
 * loop; the work is the {@link SessionMachine}'s.
 */
public final class ClientSession {
    private final ProxyContext context;
    private final EventLoop loop;
    private final String user;
    private final Map<String, String> startupParameters;
    private final BackendKey clientKey;
    private final SessionMachine machine;

    public ClientSession(ProxyContext context, SessionIo io, EventLoop loop, String user, Map<String, String> startupParameters,
                         BackendKey clientKey) {
        this.context = context;
        this.loop = loop;
        this.user = user;
        this.startupParameters = startupParameters;
        this.clientKey = clientKey;
        this.machine = new SessionMachine(context, context.health(), io,
                new PooledConnectionSource(context, loop, user, startupParameters), user, startupParameters,
                () -> context.sessionClosed(this));
    }

    public SessionMachine machine() {
        return machine;
    }

    public BackendKey clientKey() {
        return clientKey;
    }

    public EventLoop eventLoop() {
        return loop;
    }

    public String user() {
        return user;
    }

    /** Call on the session's loop; completes there with the ParameterStatus values for the client. */
    public CompletableFuture<Map<String, String>> connectFirstServer() {
        return machine.openFirstServer(startupParameters);
    }

    /** Bytes the client sent before the session took over its channel; call on the session's loop. */
    public void onClientData(ByteBuf early) {
        machine.onClientData(early);
        machine.onClientReadComplete();
    }

    /** Call on the session's loop. */
    public void close() {
        machine.close();
    }

    /** Call on the session's loop. */
    public void onTopologyChanged(Topology topology) {
        machine.onTopologyChanged(topology);
    }

    /** A CancelRequest with this session's key: forwarded to the server running its work, if any. */
    public void cancel() {
        loop.execute(() -> {
            BackendConnection target = machine.cancelTarget();
            if (target != null) {
                context.cancelForwarder().forward(loop, context.serverAddress(target.serverName()), target.key());
            }
        });
    }

    public void shutdownWhenIdle() {
        loop.execute(machine::shutdownWhenIdle);
    }

    public void closeForShutdown() {
        loop.execute(machine::closeForShutdown);
    }
}
