package io.pgsplit.proxy.session;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.proxy.commands.CommandExecutor;
import io.pgsplit.proxy.commands.ProxyCommand;
import io.pgsplit.proxy.commands.ProxyCommandReplies;
import io.pgsplit.proxy.commands.ProxyCommands;
import io.pgsplit.proxy.config.Consistency;
import io.pgsplit.proxy.statements.PreparedStatementDef;
import java.util.function.Supplier;

/**
 * {@code SET/SHOW pgsplit.*} and {@code EXPLAIN (ROUTE)}: recognised in a request and answered here,
 * never sent to a server. What they set and show is the session's read-your-writes state, and where
 * a statement would be routed ({@link RouteExplainer}).
 */
final class ProxyCommandResponder {
    private final SessionIo io;
    private final ClientReplies replies;
    private final RequestBuffer requests;
    private final FenceTracker fence;
    private final ConnectionLeases leases;
    private final RequestSender sender;
    private final Supplier<Consistency> configured;
    private final RouteExplainer explainer;

    /** @param configured the consistency a session goes back to on RESET (the user's, from the config in force) */
    ProxyCommandResponder(SessionIo io, ClientReplies replies, RequestBuffer requests, FenceTracker fence,
                          ConnectionLeases leases, RequestSender sender, Supplier<Consistency> configured,
                          RouteExplainer explainer) {
        this.explainer = explainer;
        this.io = io;
        this.replies = replies;
        this.requests = requests;
        this.fence = fence;
        this.leases = leases;
        this.sender = sender;
        this.configured = configured;
    }

    /** Whether every statement of the request is a pgsplit command. Cheap when absent: a word search per statement. */
    static boolean isProxyCommandRequest(Segment s) {
        if (s.functionCall || !s.referenced.isEmpty() || s.queries.isEmpty() && s.parsed.isEmpty()) {
            return false;
        }
        // By index: the lists are List.of or ArrayList, and this runs per request, so no iterator is allocated.
        for (int i = 0; i < s.queries.size(); i++) {
            if (ProxyCommands.parse(s.queries.get(i)).isEmpty()) {
                return false;
            }
        }
        for (int i = 0; i < s.parsed.size(); i++) {
            if (ProxyCommands.parse(s.parsed.get(i).sql()).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Answers the request the way PostgreSQL answers its own SET and SHOW. Call only when nothing is
     * owed to the client (answers come in request order) and no commit position is on its way.
     */
    void answer(Segment s, TransactionStatus status) {
        ByteBuf request = requests.take(s);
        try {
            io.write(ProxyCommandReplies.answer(request, CommandExecutor.of(this::execute, explainer::row), status,
                    io.alloc()));
        } finally {
            request.release();
            explainer.clear();
        }
        replies.written();
        if (fence.takeEarlierWrites()) {
            fenceEarlierWrites();
        }
    }

    private String execute(ProxyCommand command) {
        if (command instanceof ProxyCommand.SetConsistency set) {
            fence.consistency(set.mode() == null ? configured.get() : Consistency.fromConfigName(set.mode()));
        } else if (command instanceof ProxyCommand.SetMinLsn min) {
            fence.requireLsn(min.lsn());
        } else if (command instanceof ProxyCommand.Show show) {
            return switch (show.name()) {
                case ProxyCommand.CONSISTENCY -> fence.consistency().configName();
                case ProxyCommand.LAST_LSN -> fence.lastLsn();
                default -> fence.requiredLsn();
            };
        }
        return null;
    }

    /**
     * The session wrote while eventual and now wants its own writes: the primary's current WAL
     * position covers them all. Asked on the idle primary connection (proxy commands are answered
     * only when nothing is owed); with none, reads stay on the primary until the next write's fence.
     */
    private void fenceEarlierWrites() {
        Lease primary = leases.primary();
        if (primary != null && primary.connection().isActive() && !primary.connection().owesClient()) {
            fence.asked();
            sender.askWalPosition(primary.connection());
            primary.connection().flush();
        } else {
            fence.cannotAsk();
        }
    }
}
