package io.pgsplit.proxy.backend;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.time.Duration;

/**
 * Every open server connection of the proxy, whatever opened it (a session, a pool, auth_query), so that stopping
 * the proxy closes each one itself, on its own event loop, before the loops stop. A loop also closes what is
 * registered with it as it stops, but a connection it misses then stays open for good, with its server backend:
 * CI saw pooled primary connections outlive their proxy that way (ProxyCloseReleasesServerConnectionsTest).
 * Closed channels leave the group by themselves.
 */
public final class ServerChannels {
    private final ChannelGroup channels = new DefaultChannelGroup("pgsplit-server-connections", ImmediateEventExecutor.INSTANCE);

    void add(Channel channel) {
        channels.add(channel);
    }

    /** Closes every server connection and waits up to {@code timeout}; returns how many are still open. */
    public int closeAll(Duration timeout) {
        channels.close().awaitUninterruptibly(timeout.toMillis());
        return openCount();
    }

    public int openCount() {
        return (int) channels.stream().filter(Channel::isOpen).count();
    }
}
