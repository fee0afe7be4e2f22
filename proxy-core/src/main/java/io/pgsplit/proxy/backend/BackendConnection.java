package io.pgsplit.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.socket.DuplexChannel;
import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.protocol.frontend.Query;
import io.pgsplit.protocol.frontend.Terminate;
import io.pgsplit.proxy.statements.ServerStatements;
import io.pgsplit.proxy.state.ServerSettings;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One authenticated connection to one PostgreSQL server, living on the event loop of the sessions it
 * serves (so none of its state needs locks): the session's own, or a pooled one lent to one session
 * at a time. It knows what it carries: settings, prepared statements, and whether something ran on
 * it whose effects pgsplit could not see.
 */
public final class BackendConnection {
    /** How long a server may take to close after Terminate before pgsplit closes on it. */
    static final long TERMINATE_GRACE_MILLIS = 2_000;
    private final String serverName;
    private final Channel channel;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final ServerStatements statements = new ServerStatements();
    private final ServerSettings settings;
    private final Map<String, String> sqlPrepared = new HashMap<>();
    final PendingResponses pending = new PendingResponses(statements);
    private BackendKey key;
    private BackendListener listener;
    private TransactionStatus transactionStatus = TransactionStatus.IDLE;
    private boolean groupOpen;
    /** Why the connection must be reset before another client uses it (a metric label), or null. */
    private String unseenState;
    private boolean parameterReported;
    private boolean closing;
    /** Part of a large message went to the client, the rest has not arrived (BackendHandler#relaysInParts). */
    private boolean clientMidMessage;
    private String closeReason;

    /** @param initialSettings the settings its StartupMessage carried, as statements (see StartupSettings) */
    BackendConnection(String serverName, Channel channel, Map<String, String> initialSettings) {
        this.serverName = serverName;
        this.channel = channel;
        this.settings = new ServerSettings(initialSettings);
    }

    public String serverName() {
        return serverName;
    }

    public Channel channel() {
        return channel;
    }

    /** The server's BackendKeyData, for forwarding a client's CancelRequest. */
    public BackendKey key() {
        return key;
    }

    void key(BackendKey key) {
        this.key = key;
    }

    /** The ParameterStatus values the server reported at startup, in order. */
    public Map<String, String> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    void parameter(String name, String value) {
        parameters.put(name, value);
    }

    public ServerStatements statements() {
        return statements;
    }

    /** The run-time parameters pgsplit has set here, and for which client. */
    public ServerSettings settings() {
        return settings;
    }

    /** SQL-level prepared statements (PREPARE name AS …) that exist here: name to the PREPARE text. */
    public Map<String, String> sqlPrepared() {
        return sqlPrepared;
    }

    BackendListener listener() {
        return listener;
    }

    public void attach(BackendListener listener) {
        this.listener = listener;
    }

    /**
     * Writes (without flushing) one dispatch: an optional query the proxy injects to bring this
     * connection's session state in line (answered invisibly), the optional prelude (injected
     * Parse/Close messages, or the renamed head of the client's first message), then the client's
     * bytes. The counts say which replies to hide.
     */
    public void send(ByteBuf injectedQuery, ByteBuf prelude, ByteBuf clientMessages, Dispatch dispatch) {
        if (injectedQuery != null) {
            pending.addInjectedQuery();
            channel.write(injectedQuery, channel.voidPromise());
        }
        pending.add(dispatch.injectedParses(), dispatch.injectedCloses(), dispatch.clientParses(), dispatch.clientCloses(),
                dispatch.endsWithSync(), dispatch.statements());
        groupOpen = !dispatch.endsWithSync();
        if (prelude != null) {
            channel.write(prelude, channel.voidPromise());
        }
        channel.write(clientMessages, channel.voidPromise());
    }

    /**
     * Writes (without flushing) a query right behind the client's last group, answered invisibly;
     * its first value goes to the listener's {@link BackendListener#onInjectedValue}. The client
     * does not wait for it: its own ReadyForQuery comes first.
     */
    public void sendValueQuery(ByteBuf query) {
        pending.addValueQuery();
        channel.write(query, channel.voidPromise());
    }

    /**
     * Something ran here whose effect on the session state pgsplit could not see (a function, a
     * parameter the server reported unasked): the connection must be reset before another client uses it.
     */
    public boolean hasUnseenState() {
        return unseenState != null;
    }

    /** The first reason the connection was marked for (the {@code reason} of {@code pgsplit_connection_resets_total}). */
    public String unseenStateReason() {
        return unseenState;
    }

    public void markUnseenState(String reason) {
        if (unseenState == null) {
            unseenState = reason;
        }
    }

    /** The server reported a parameter change (ParameterStatus) while answering a client's work. */
    void parameterReported() {
        parameterReported = true;
    }

    /** Whether the server reported a parameter change since the last call. */
    public boolean takeParameterReported() {
        boolean reported = parameterReported;
        parameterReported = false;
        return reported;
    }

    /**
     * Writes (without flushing) {@code RESET ALL} and {@code DISCARD ALL}, answered invisibly, so that nothing of one
     * client's session state reaches the next (settings, role, prepared statements, temporary tables,
     * advisory locks, LISTEN); the bookkeeping of what the connection carries starts afresh at once,
     * since nothing sent after it can see what was before. Call only outside a transaction.
     *
     * <p>{@code RESET ALL} goes first, as a query of its own: DISCARD ALL takes a snapshot, which a
     * setting left behind can forbid ({@code default_transaction_isolation = serializable} on a hot
     * standby), while RESET needs none, and the isolation level of a transaction is fixed at its start.
     */
    public void discardSessionState() {
        pending.addInjectedQuery();
        channel.write(new Query("RESET ALL").encode(channel.alloc()), channel.voidPromise());
        pending.addInjectedQuery();
        channel.write(new Query("DISCARD ALL").encode(channel.alloc()), channel.voidPromise());
        settings.discarded();
        statements.clear();
        sqlPrepared.clear();
        unseenState = null;
    }

    /** True while the client is owed replies (injected queries do not count). */
    public boolean owesClient() {
        return groupOpen || pending.readyForQueryOwed() > 0;
    }

    /** Writes bytes that belong to work already under way (COPY data), without bookkeeping. */
    public void sendRaw(ByteBuf bytes) {
        channel.write(bytes, channel.voidPromise());
    }

    public void flush() {
        channel.flush();
    }

    /** True while the server owes replies: a group was sent and its ReadyForQuery has not come. */
    public boolean isBusy() {
        return groupOpen || !pending.isEmpty();
    }

    /** ReadyForQuery messages the server still owes (one per Sync or simple Query sent). */
    public int readyForQueryOwed() {
        return pending.readyForQueryOwed();
    }

    /** True when the last dispatch ended with Flush: the client has not closed the group with Sync yet. */
    public boolean pendingGroupOpen() {
        return groupOpen;
    }

    /**
     * Only a dispatch closes or opens a group: a ReadyForQuery for an earlier group leaves a later
     * Flush-ended one open. Returns whether the group it ends saw an error.
     */
    boolean readyForQueryReceived(TransactionStatus status) {
        transactionStatus = status;
        return pending.onReadyForQuery();
    }

    /** The transaction status of the last ReadyForQuery (IDLE after startup). */
    public TransactionStatus transactionStatus() {
        return transactionStatus;
    }

    /** True when nothing is owed and no transaction is open: the connection may serve another client. */
    public boolean isIdle() {
        return !isBusy() && transactionStatus == TransactionStatus.IDLE;
    }

    /** Called per request as a connection is lent; when nothing changes, a plain read instead of Netty's atomic swap. */
    public void setAutoRead(boolean autoRead) {
        ChannelConfig config = channel.config();
        if (config.isAutoRead() != autoRead) {
            config.setAutoRead(autoRead);
        }
    }

    public boolean isActive() {
        return channel.isActive() && !closing;
    }

    /**
     * Backpressure: true while this server cannot take more bytes, so its client must not be read.
     * A closed channel never holds a client back: Netty reports it unwritable from the close until
     * its channelInactive runs, and a session that paused its client in that gap would never resume.
     */
    public boolean holdsBackClient() {
        return channel.isOpen() && !channel.isWritable();
    }

    /**
     * Says goodbye with Terminate and lets the server close: the connection counts as closed only once its backend
     * has gone, so a pool slot it frees is never taken by a new connection while the old backend still counts
     * against the server's limits (a pool that moves a connection between event loops closes one and opens one).
     * A server that does not close within {@link #TERMINATE_GRACE_MILLIS} is closed on.
     */
    public void terminate() {
        if (closing) {
            return;
        }
        closing = true;
        if (!channel.isActive()) {
            channel.close();
            return;
        }
        channel.config().setAutoRead(true); // the server's close must be seen
        channel.writeAndFlush(Terminate.encode(channel.alloc())).addListener(sent -> closeWhenServerHas(sent.isSuccess()));
    }

    /**
     * Ends a connection whose state is unknown (mid-transaction, owing replies) without a Terminate: half-closes it,
     * so the server sees end-of-file, rolls back and lets go, and closes once it has (or after the grace). As with
     * {@link #terminate}, the connection counts as closed only once its backend has gone.
     */
    public void hangUp() {
        if (closing) {
            return;
        }
        closing = true;
        if (!(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
            channel.close();
            return;
        }
        channel.config().setAutoRead(true);
        duplex.shutdownOutput().addListener(done -> closeWhenServerHas(done.isSuccess()));
    }

    private void closeWhenServerHas(boolean told) {
        if (!told) {
            channel.close();
        } else {
            channel.eventLoop().schedule(() -> channel.close(), TERMINATE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Runs {@code action} once the connection is closed (at once if it is), on its event loop. */
    public void whenClosed(Runnable action) {
        channel.closeFuture().addListener(closed -> action.run());
    }

    /** Closes at once; used when the connection can no longer be trusted. */
    public void abort() {
        abort(null);
    }

    /** Closes at once, saying why to the session (and through it, to the client). */
    public void abort(String reason) {
        if (reason != null && closeReason == null) {
            closeReason = reason;
        }
        closing = true;
        channel.close();
    }

    void clientMidMessage(boolean mid) {
        clientMidMessage = mid;
    }

    /** Whether the client got part of a message from here and not the rest: lost now, its stream is cut. */
    public boolean leftClientMidMessage() {
        return clientMidMessage;
    }

    /** Why the proxy closed this connection, or null when the server or the network did. */
    String closeReason() {
        return closeReason;
    }

    boolean isClosing() {
        return closing;
    }

    @Override
    public String toString() {
        return serverName + "/" + channel.id().asShortText();
    }
}
