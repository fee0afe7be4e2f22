package io.pgsplit.proxy.session;

import io.netty.channel.EventLoop;
import io.pgsplit.health.ClusterView;
import io.pgsplit.proxy.ProxyContext;
import java.util.Map;

/**
 * A session machine as ClientSession builds one, with its server connections from the context's real pools, but
 * with the cluster as the benchmark says it is. In this package, inside the bench module, because
 * PooledConnectionSource and the SessionMachine constructor's ConnectionSource are package-private.
 */
public final class EmbeddedSessions {
    private EmbeddedSessions() {
    }

    /** @param loop the client channel's loop, on which the session borrows and gives back its connections */
    public static SessionMachine pooled(ProxyContext context, ClusterView cluster, SessionIo io, EventLoop loop, String user,
                                        Map<String, String> startupParameters) {
        return new SessionMachine(context, cluster, io, new PooledConnectionSource(context, loop, user, startupParameters),
                user, startupParameters, () -> { });
    }
}
