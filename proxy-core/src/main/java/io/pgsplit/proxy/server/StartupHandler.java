package io.pgsplit.proxy.server;

import static io.pgsplit.protocol.MessageFraming.HEADER_LENGTH;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.pgsplit.protocol.MessageFraming;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.ProtocolException;
import io.pgsplit.protocol.SqlState;
import io.pgsplit.protocol.backend.AuthenticationOk;
import io.pgsplit.protocol.backend.ErrorResponse;
import io.pgsplit.protocol.backend.NegotiateProtocolVersion;
import io.pgsplit.protocol.startup.CancelRequest;
import io.pgsplit.protocol.startup.GssEncRequest;
import io.pgsplit.protocol.startup.SslRequest;
import io.pgsplit.protocol.startup.StartupMessage;
import io.pgsplit.protocol.startup.StartupPacket;
import io.pgsplit.protocol.startup.StartupPackets;
import io.pgsplit.proxy.ProxyContext;
import io.pgsplit.proxy.auth.AuthDecision;
import io.pgsplit.proxy.auth.AuthStep;
import io.pgsplit.proxy.auth.ClientAuthExchange;
import io.pgsplit.proxy.config.UserConfig;
import io.pgsplit.proxy.frontdoor.LoginAttempt;
import io.pgsplit.proxy.frontdoor.Refusal;
import io.pgsplit.proxy.logging.LogSafe;
import io.pgsplit.proxy.netty.InboundBuffer;
import io.pgsplit.proxy.session.ClientSession;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client connection from its first byte until it is ready for queries: SSL and GSS encryption
 * requests (declined with 'N' unless {@link TlsNegotiationHandler} in front took the SSLRequest),
 * CancelRequest, StartupMessage with protocol negotiation, authentication as the
 * {@link io.pgsplit.proxy.auth.ClientAuthenticator} decides (hba, users, auth_query); then {@link SessionStart}
 * opens the first server connection and hands the channel to a {@link ClientSession}. The front-door limits (pending logins, login timeout, client slots with the
 * admin reserve, the failed-login delay) are decided by the connection's {@link LoginAttempt}.
 */
final class StartupHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(StartupHandler.class);
    /** As PostgreSQL's PG_MAX_AUTH_TOKEN_LENGTH. */
    private static final int MAX_PASSWORD_MESSAGE = 65_535;
    private static final byte DECLINE_ENCRYPTION = 'N';

    private enum Phase { STARTUP, DECIDING, AUTHENTICATION, CONNECTING, DONE }

    private final ProxyContext context;
    private final InboundBuffer inbound = new InboundBuffer();
    private Phase phase = Phase.STARTUP;
    private StartupMessage startup;
    private ClientAuthExchange exchange;
    private LoginAttempt login;
    private boolean sslDeclined;
    private boolean gssDeclined;

    StartupHandler(ProxyContext context) {
        this.context = context;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            beginLogin(ctx); // added after accept, behind a handler that went first (a TLS handshake)
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        beginLogin(ctx);
        ctx.fireChannelActive();
    }

    /** From accept on, silent or not, the connection is a pending login (bounded) with login_timeout to authenticate. */
    private void beginLogin(ChannelHandlerContext ctx) {
        if (login == null) {
            login = context.frontDoor().begin(ctx.channel());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        inbound.append(ctx.alloc(), (ByteBuf) msg);
        process(ctx);
    }

    private void process(ChannelHandlerContext ctx) {
        try {
            while (inbound.readableBytes() > 0 && ctx.channel().isActive()) {
                boolean progressed = switch (phase) {
                    case STARTUP -> readStartupPacket(ctx);
                    case AUTHENTICATION -> readPasswordMessage(ctx);
                    case DECIDING, CONNECTING, DONE -> false; // kept: the session reads it once it takes over
                };
                if (!progressed) {
                    break;
                }
            }
        } catch (ProtocolException e) {
            fatal(ctx, e.sqlState(), e.getMessage());
        }
    }

    /** Bytes that arrived while reads were paused for work off the loop; reading stays off once CONNECTING. */
    private void resume(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive() && (phase == Phase.STARTUP || phase == Phase.AUTHENTICATION)) {
            ctx.channel().config().setAutoRead(true);
            process(ctx);
        }
    }

    private boolean readStartupPacket(ChannelHandlerContext ctx) {
        ByteBuf buf = inbound.buffer();
        int length = StartupPackets.completePacketLength(buf, buf.readerIndex());
        if (length < 0) {
            return false;
        }
        StartupPacket packet = StartupPackets.decode(buf.slice(buf.readerIndex(), length));
        inbound.skip(length);
        if (packet instanceof SslRequest || packet instanceof GssEncRequest) {
            declineEncryption(ctx, packet instanceof SslRequest ? SslRequest.CODE : GssEncRequest.CODE);
        } else if (packet instanceof CancelRequest cancel) {
            context.cancels().cancel(cancel.processId(), cancel.secretKey());
            ctx.close();
        } else if (packet instanceof StartupMessage message) {
            onStartupMessage(ctx, message);
        }
        return true;
    }

    /**
     * No TLS or GSS encryption: answer 'N', after which the client sends its StartupMessage in the
     * clear. Each kind may be asked once; a repeat is read, as by PostgreSQL, as an unknown protocol.
     */
    private void declineEncryption(ChannelHandlerContext ctx, int code) {
        // Inside TLS an SSLRequest is as out of place as a repeated one.
        boolean repeated = code == SslRequest.CODE ? sslDeclined || ctx.pipeline().get(SslHandler.class) != null : gssDeclined;
        if (repeated) {
            unsupportedProtocol(ctx, code >>> 16, code & 0xFFFF);
            return;
        }
        if (code == SslRequest.CODE) {
            sslDeclined = true;
        } else {
            gssDeclined = true;
        }
        ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte(DECLINE_ENCRYPTION));
    }

    private void unsupportedProtocol(ChannelHandlerContext ctx, int major, int minor) {
        fatal(ctx, SqlState.FEATURE_NOT_SUPPORTED, "unsupported frontend protocol " + major + "." + minor
                + ": server supports 3.0 to 3.0");
    }

    private void onStartupMessage(ChannelHandlerContext ctx, StartupMessage message) {
        if (message.majorVersion() != 3) {
            unsupportedProtocol(ctx, message.majorVersion(), message.minorVersion());
            return;
        }
        StartupParameters parameters = StartupParameters.of(message.parameters());
        if (message.minorVersion() > 0 || !parameters.protocolExtensions().isEmpty()) {
            // Like PostgreSQL: offer 3.0, name the _pq_ options we do not know, and carry on.
            ctx.write(new NegotiateProtocolVersion(0, parameters.protocolExtensions()).encode(ctx.alloc()));
        }
        if (parameters.isReplication()) {
            fatal(ctx, SqlState.FEATURE_NOT_SUPPORTED, "pgsplit does not proxy replication connections");
            return;
        }
        String user = message.parameters().get("user");
        if (user == null || user.isEmpty()) {
            fatal(ctx, SqlState.INVALID_AUTHORIZATION_SPECIFICATION, "no PostgreSQL user name specified in startup packet");
            return;
        }
        Refusal full = login.beforeAuthentication();
        if (full != null) {
            fatal(ctx, full.sqlState(), full.message());
            return;
        }
        startup = new StartupMessage(3, 0, parameters.forServers(user));
        CompletableFuture<AuthDecision> decision = context.authenticator()
                .begin(LoginAttempts.of(ctx.channel(), user, startup.parameters().get("database")), ctx.channel().eventLoop());
        if (decision.isDone()) {
            onDecision(ctx, decision.handle(Outcome::new).join());
            return;
        }
        // auth_query is looking the user up: the client is not read meanwhile.
        phase = Phase.DECIDING;
        ctx.channel().config().setAutoRead(false);
        decision.whenComplete((value, error) -> ctx.executor().execute(() -> {
            if (ctx.channel().isActive() && phase == Phase.DECIDING) {
                onDecision(ctx, new Outcome<>(value, error));
                resume(ctx);
            }
        }));
    }

    private record Outcome<T>(T value, Throwable error) {
    }

    /** hba and the user's secret (perhaps from auth_query) decided how the client authenticates. */
    private void onDecision(ChannelHandlerContext ctx, Outcome<AuthDecision> outcome) {
        AuthDecision decision = outcome.value();
        if (outcome.error() != null) {
            fatal(ctx, SqlState.CONNECTION_FAILURE, "pgsplit: authentication failed: " + outcome.error().getMessage());
        } else if (decision instanceof AuthDecision.Refuse refuse) {
            log.info("client {}: refused for user {}: {}", ctx.channel().remoteAddress(), LogSafe.quote(startup.user()), refuse.message());
            fatal(ctx, refuse.sqlState(), refuse.message());
        } else if (decision instanceof AuthDecision.Accept) {
            authenticated(ctx, null);
        } else if (decision instanceof AuthDecision.Exchange chosen) {
            exchange = chosen.exchange();
            ctx.writeAndFlush(exchange.start(ctx.alloc()));
            phase = Phase.AUTHENTICATION;
        }
    }

    private boolean readPasswordMessage(ChannelHandlerContext ctx) {
        ByteBuf buf = inbound.buffer();
        int index = buf.readerIndex();
        int length = MessageFraming.completeMessageLength(buf, index, MAX_PASSWORD_MESSAGE);
        if (length < 0) {
            return false;
        }
        if (buf.getByte(index) != MessageTypes.PASSWORD) {
            fatal(ctx, SqlState.PROTOCOL_VIOLATION, "expected password response, got message type " + (buf.getByte(index) & 0xFF));
            return false;
        }
        AuthStep step = exchange.onPasswordMessage(buf.slice(index + HEADER_LENGTH, length - HEADER_LENGTH), ctx.alloc());
        inbound.skip(length);
        return onAuthStep(ctx, step);
    }

    /** Returns whether the next password message may be read now. */
    private boolean onAuthStep(ChannelHandlerContext ctx, AuthStep step) {
        if (step instanceof AuthStep.Pending pending) {
            if (pending.outcome().isDone()) {
                return onAuthStep(ctx, pending.outcome().handle(StartupHandler::orFailure).join());
            }
            // A key derivation runs off the loop; the client is not read meanwhile.
            phase = Phase.DECIDING;
            ctx.channel().config().setAutoRead(false);
            pending.outcome().whenComplete((outcome, error) -> ctx.executor().execute(() -> {
                if (ctx.channel().isActive() && phase == Phase.DECIDING) {
                    phase = Phase.AUTHENTICATION;
                    onAuthStep(ctx, orFailure(outcome, error));
                    resume(ctx);
                }
            }));
            return false;
        }
        if (step instanceof AuthStep.Continue next) {
            ctx.writeAndFlush(next.request());
        } else if (step instanceof AuthStep.Success success) {
            authenticated(ctx, success.finalMessage());
        } else if (step instanceof AuthStep.Failure failure) {
            log.info("client {}: authentication failed for user {}: {}", ctx.channel().remoteAddress(), LogSafe.quote(startup.user()), failure.reason());
            Duration delay = login.failed(context.config().user(startup.user()).isPresent());
            fatalAfter(ctx, delay, SqlState.INVALID_PASSWORD, "password authentication failed for user \"" + startup.user() + "\"");
        }
        return phase == Phase.AUTHENTICATION;
    }

    private static AuthStep orFailure(AuthStep step, Throwable error) {
        return error != null ? new AuthStep.Failure("password check failed: " + error) : step;
    }

    /**
     * The client proved who it is (or hba trusts it): a client slot (or the refusal instead of
     * AuthenticationOk), then the first server connection. {@code finalMessage}: SCRAM's server-final, or null.
     */
    private void authenticated(ChannelHandlerContext ctx, ByteBuf finalMessage) {
        Refusal refusal = login.authenticated(context.config().user(startup.user()).map(UserConfig::admin).orElse(false));
        if (refusal != null) {
            ReferenceCountUtil.release(finalMessage);
            fatal(ctx, refusal.sqlState(), refusal.message());
            return;
        }
        if (finalMessage != null) {
            ctx.write(finalMessage);
        }
        ctx.writeAndFlush(new AuthenticationOk().encode(ctx.alloc()));
        phase = Phase.CONNECTING;
        // Nothing the client sends can be acted on before its first server connection is ready: let TCP hold it.
        ctx.channel().config().setAutoRead(false);
        openSession(ctx);
    }

    private void openSession(ChannelHandlerContext ctx) {
        new SessionStart(context, startup, inbound).open(ctx, () -> phase = Phase.DONE);
    }

    private void fatal(ChannelHandlerContext ctx, String sqlState, String message) {
        phase = Phase.DONE;
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(ErrorResponse.fatal(sqlState, message).encode(ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** A failed login's answer waits {@code delay} (the failed-login throttle); nothing more is read meanwhile. */
    private void fatalAfter(ChannelHandlerContext ctx, Duration delay, String sqlState, String message) {
        if (delay.isZero()) {
            fatal(ctx, sqlState, message);
            return;
        }
        phase = Phase.DONE;
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(() -> fatal(ctx, sqlState, message), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        inbound.release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inbound.release();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("client {}: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("client {}: unexpected error during startup; closing", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

}
