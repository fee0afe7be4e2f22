package io.pgsplit.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.pgsplit.protocol.SqlState;
import io.pgsplit.protocol.backend.BackendKeyData;
import io.pgsplit.protocol.backend.ErrorResponse;
import io.pgsplit.protocol.backend.ParameterStatus;
import io.pgsplit.protocol.backend.ReadyForQuery;
import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.protocol.startup.StartupMessage;
import io.pgsplit.proxy.ProxyContext;
import io.pgsplit.proxy.backend.BackendKey;
import io.pgsplit.proxy.backend.BackendStartupException;
import io.pgsplit.proxy.frontdoor.ClientIdleTimeout;
import io.pgsplit.proxy.logging.LogSafe;
import io.pgsplit.proxy.netty.InboundBuffer;
import io.pgsplit.proxy.session.ClientSession;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of a login, once the client is authenticated: its session's first server connection, whose
 * ParameterStatus values the client receives with BackendKeyData and ReadyForQuery; then the session's handler takes
 * the channel (with whatever the client sent early) from the {@link StartupHandler}. A server that refuses the
 * connection is answered to the client with its own error.
 */
final class SessionStart {
    private static final Logger log = LoggerFactory.getLogger(SessionStart.class);

    private final ProxyContext context;
    private final StartupMessage startup;
    private final InboundBuffer early;

    SessionStart(ProxyContext context, StartupMessage startup, InboundBuffer early) {
        this.context = context;
        this.startup = startup;
        this.early = early;
    }

    /** Call on the channel's loop with the client paused; {@code done} runs when the login has ended either way. */
    void open(ChannelHandlerContext ctx, Runnable done) {
        BackendKey key = context.cancels().newKey();
        ClientSessionHandler handler = new ClientSessionHandler(ctx.channel());
        ClientSession session = new ClientSession(context, handler, ctx.channel().eventLoop(), startup.user(),
                startup.parameters(), key);
        handler.bind(session.machine());
        session.connectFirstServer().whenComplete((parameters, error) -> ctx.executor().execute(() -> {
            if (error != null) {
                done.run();
                refuse(ctx, error); // first: closing the session closes the channel
                session.close();
            } else if (!ctx.channel().isActive()) {
                session.close();
            } else {
                done.run();
                becomeReady(ctx, session, handler, parameters);
            }
        }));
    }

    private void becomeReady(ChannelHandlerContext ctx, ClientSession session, ClientSessionHandler handler,
                             Map<String, String> parameters) {
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            ctx.write(new ParameterStatus(parameter.getKey(), parameter.getValue()).encode(ctx.alloc()));
        }
        ctx.write(new BackendKeyData(session.clientKey().processId(), session.clientKey().secretKey()).encode(ctx.alloc()));
        ctx.writeAndFlush(new ReadyForQuery(TransactionStatus.IDLE).encode(ctx.alloc()));
        context.sessionOpened(session);
        log.debug("client {}: session for user {} ready", ctx.channel().remoteAddress(), LogSafe.quote(session.user()));
        ctx.channel().config().setAutoRead(true); // paused while connecting; from here on the session decides
        context.limits().clientIdleTimeout().ifPresent(idle -> ctx.pipeline().addBefore(ctx.name(), "client-idle-timeout",
                new ClientIdleTimeout(session::isIdle, session::closeIdle, idle, context.frontDoor().refusals())));
        // Taken before the replace: removing the startup handler releases its buffer (Netty runs handlerRemoved inside it).
        ByteBuf sentEarly = early.readableBytes() > 0 ? early.takeSlice(early.readableBytes()) : null;
        ctx.pipeline().replace(ctx.handler(), "session", handler);
        if (sentEarly != null) {
            session.onClientData(sentEarly);
        }
    }

    /**
     * The first server connection failed: the client gets the server's own error when there is one
     * that a client can read (severity, SQLSTATE and message are always there in PostgreSQL's).
     */
    private static void refuse(ChannelHandlerContext ctx, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        ErrorResponse answer = cause instanceof BackendStartupException startupError && startupError.serverError() != null
                ? forClient(startupError.serverError())
                : ErrorResponse.fatal(SqlState.CONNECTION_FAILURE, "pgsplit: could not connect to a server: " + cause.getMessage());
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(answer.encode(ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The server's error as it came, unless it lacks a field every client may rely on (a broken or hostile server). */
    static ErrorResponse forClient(ErrorResponse serverError) {
        if (serverError.severity() != null && serverError.sqlState() != null && serverError.message() != null) {
            return serverError;
        }
        return ErrorResponse.fatal(SqlState.CONNECTION_FAILURE, "pgsplit: the server refused the connection with an incomplete error: "
                + Objects.requireNonNullElse(serverError.message(), "(no message)"));
    }
}
