package io.pgsplit.proxy.session;

import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import io.pgsplit.proxy.state.SessionState;
import io.pgsplit.router.Classification;
import io.pgsplit.router.SessionCommand;
import io.pgsplit.router.TransactionControl;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the client's requests do to its session state: the session commands of each group are queued
 * when it is sent and recorded when its ReadyForQuery says it succeeded (inside a transaction they
 * wait for COMMIT). Keeps the connection that ran them in line, so it needs no replay of them, and
 * counts and logs pins.
 */
final class SessionEffects {
    private static final Logger log = LoggerFactory.getLogger(SessionEffects.class);

    private final SessionState state;
    private final ClientStatements statements;
    private final ProxyMetrics metrics;
    private final String peer;
    /** Session commands of the groups sent and not yet answered, in order. */
    private final ArrayDeque<GroupEffects> groups = new ArrayDeque<>();
    /** Session commands of a group sent up to a Flush, waiting for the rest of it. */
    private List<SessionCommand> openGroup = List.of();

    SessionEffects(SessionState state, ClientStatements statements, ProxyMetrics metrics, String peer) {
        this.state = state;
        this.statements = statements;
        this.metrics = metrics;
        this.peer = peer;
    }

    SessionState state() {
        return state;
    }

    /** Queues the group's session commands; they are recorded when its ReadyForQuery says how it went. */
    void expect(Segment s, Analysis analysis) {
        if (!analysis.commands().isEmpty()) {
            if (openGroup.isEmpty()) {
                openGroup = new ArrayList<>(analysis.commands().size() + 1);
            }
            openGroup.addAll(analysis.commands());
        }
        if (s.end != Segment.End.READY_FOR_QUERY) {
            return;
        }
        Classification classification = analysis.classification();
        boolean rollback = classification != null && classification.transaction() == TransactionControl.END
                && GroupEffects.endsWithRollback(s);
        groups.add(openGroup.isEmpty() && !rollback ? GroupEffects.NONE : new GroupEffects(openGroup, rollback));
        openGroup = List.of();
    }

    /**
     * A group's ReadyForQuery: records what it changed, if it succeeded; a transaction's changes wait for
     * its commit. Returns whether the group held commands that change settings (which explains a
     * ParameterStatus the server sent meanwhile).
     */
    boolean answered(TransactionStatus before, TransactionStatus after, boolean failed, BackendConnection server) {
        GroupEffects effects = groups.poll();
        boolean changesSettings = effects != null && changesSettings(effects.commands());
        boolean transactionEnded = before != TransactionStatus.IDLE && after == TransactionStatus.IDLE;
        if (transactionEnded) {
            boolean committed = before == TransactionStatus.IN_TRANSACTION && !failed && (effects == null || !effects.rollback());
            react(state.transactionEnded(committed), server);
        }
        if (effects == null || failed || effects.commands().isEmpty()) {
            return changesSettings || transactionEnded;
        }
        boolean inTransaction = after != TransactionStatus.IDLE || effects.rollback();
        react(state.groupSucceeded(effects.commands(), inTransaction), server);
        if (effects.rollback() && !transactionEnded) {
            react(state.transactionEnded(false), server);
        }
        if (!inTransaction) {
            noteServerSideEffects(effects.commands(), server);
        }
        return changesSettings || transactionEnded;
    }

    /** Indexed: per reply, and an iterator over the (usually empty) list is an allocation the JIT keeps. */
    private static boolean changesSettings(List<SessionCommand> commands) {
        for (int i = 0; i < commands.size(); i++) {
            SessionCommand command = commands.get(i);
            if (command instanceof SessionCommand.SetParameter || command instanceof SessionCommand.SetConfig
                    || command instanceof SessionCommand.ResetParameter || command instanceof SessionCommand.ResetAll
                    || command instanceof SessionCommand.Discard) {
                return true;
            }
        }
        return false;
    }

    /** The server running the session's work is gone: what it was doing is lost, an open transaction rolled back. */
    void lost(boolean inTransaction) {
        if (inTransaction) {
            state.transactionEnded(false);
        }
        forgetPending();
    }

    /** Nothing sent is waiting for an answer any more (the server is gone, or the read goes elsewhere). */
    void forgetPending() {
        groups.clear();
        openGroup = List.of();
    }

    /** The server the commands ran on now holds their effects, so it needs no replay of them. */
    private void react(SessionState.Recorded recorded, BackendConnection server) {
        if (recorded.settingsChanged()) {
            server.settings().ranHere(state.settings());
        }
        if (recorded.protocolStatementsDropped()) {
            statements.dropAll(server);
        }
        for (SessionState.Pin pin : recorded.newPins()) {
            metrics.sessionPinned(pin.label());
        }
        if (state.firstPin()) {
            log.info("client {}: session pinned to the primary ({}); further pins of this session are not logged",
                    peer, state.pins().iterator().next().label());
        }
    }

    private static void noteServerSideEffects(List<SessionCommand> commands, BackendConnection server) {
        for (SessionCommand command : commands) {
            if (command instanceof SessionCommand.Prepare prepare) {
                server.sqlPrepared().put(prepare.name(), prepare.replaySql());
            } else if (command instanceof SessionCommand.Deallocate deallocate && deallocate.name() != null) {
                server.sqlPrepared().remove(deallocate.name());
            }
        }
    }
}
