package io.pgsplit.proxy.server;

import io.netty.channel.embedded.EmbeddedChannel;
import io.pgsplit.proxy.session.SessionIo;
import io.pgsplit.proxy.session.SessionMachine;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An authenticated client's channel as {@link StartupHandler} leaves it, over an {@link EmbeddedChannel}: the real
 * {@link ClientSessionHandler} in front of a session machine. In this package, inside the bench module, because
 * that handler is package-private.
 */
public final class EmbeddedClients {
    private EmbeddedClients() {
    }

    /**
     * @param session the session machine, given the handler as the client's {@link SessionIo}
     * @param created told the channel first, registered, so that the session can use its loop
     */
    public static EmbeddedChannel open(Function<SessionIo, SessionMachine> session, Consumer<EmbeddedChannel> created) {
        EmbeddedChannel channel = new EmbeddedChannel(false, true);
        try {
            channel.register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        created.accept(channel);
        ClientSessionHandler handler = new ClientSessionHandler(channel);
        handler.bind(session.apply(handler));
        channel.pipeline().addLast("session", handler);
        return channel;
    }
}
