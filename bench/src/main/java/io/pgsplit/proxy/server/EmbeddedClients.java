package io.pgsplit.proxy.server;

import io.netty.channel.embedded.EmbeddedChannel;
import io.pgsplit.proxy.session.SessionIo;
import io.pgsplit.proxy.session.SessionMachine;
import java.util.function.Function;

/**
 * An authenticated client's channel as {@link StartupHandler} leaves it, over an {@link EmbeddedChannel}: the real
 * {@link ClientSessionHandler} in front of a session machine. In this package, inside the bench module, because
 * that handler is package-private.
 */
public final class EmbeddedClients {
    private EmbeddedClients() {
    }

    /** @param session the session machine, given the handler as the client's {@link SessionIo} */
    public static EmbeddedChannel open(Function<SessionIo, SessionMachine> session) {
        EmbeddedChannel channel = new EmbeddedChannel(false, true);
        ClientSessionHandler handler = new ClientSessionHandler(channel);
        handler.bind(session.apply(handler));
        channel.pipeline().addLast("session", handler);
        try {
            channel.register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return channel;
    }
}
