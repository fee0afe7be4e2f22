package io.pgsplit.proxy.backend;

import static io.pgsplit.protocol.MessageFraming.HEADER_LENGTH;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.pgsplit.protocol.MessageFraming;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.ProtocolException;
import io.pgsplit.protocol.backend.AuthenticationMessage;
import io.pgsplit.protocol.backend.BackendKeyData;
import io.pgsplit.protocol.backend.ErrorResponse;
import io.pgsplit.protocol.backend.ParameterStatus;
import io.pgsplit.protocol.backend.ParseComplete;
import io.pgsplit.protocol.backend.ReadyForQuery;
import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.proxy.netty.InboundBuffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one handler of a server connection. During startup it authenticates and collects the
 * server's parameters; afterwards it relays the server's replies to the owning session as
 * zero-copy slices, looking only at message headers, except for the few replies it must see:
 * ReadyForQuery (group ends), ErrorResponse (the rest of the group is skipped), and the
 * ParseComplete/CloseComplete answers to messages the proxy injected, which it hides.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(BackendHandler.class);
    /** Messages up to this size are relayed whole; beyond it, a DataRow or CopyData may go on in parts. */
    static final int PARTS_THRESHOLD = 64 << 10;

    private final InboundBuffer inbound = new InboundBuffer();
    private final BackendAuthenticator authenticator;
    private final Executor slowWork;
    private final CompletableFuture<BackendConnection> ready;
    private final int maxMessageSize;
    private final String serverName;
    private ByteBuf startupMessage;
    private BackendConnection connection;
    private boolean started;
    private String closedReason;
    /** The value of the injected query being answered, until its ReadyForQuery. */
    private String capturedValue;
    /** Whether the run being gathered holds part of an answer, not only notices and the like. */
    private boolean runAnswers;
    /** The injected query being answered saw an ErrorResponse. */
    private boolean injectedFailed;
    /** Bytes still to come of a message being relayed in parts ({@link #relaysInParts}). */
    private int partRest;

    BackendHandler(BackendAuthenticator authenticator, Executor slowWork, ByteBuf startupMessage, int maxMessageSize,
                   CompletableFuture<BackendConnection> ready, String serverName) {
        this.authenticator = authenticator;
        this.slowWork = slowWork;
        this.startupMessage = startupMessage;
        this.maxMessageSize = maxMessageSize;
        this.ready = ready;
        this.serverName = serverName;
    }

    void connection(BackendConnection connection) {
        this.connection = connection;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ByteBuf message = startupMessage;
        startupMessage = null;
        ctx.writeAndFlush(message);
        ctx.fireChannelActive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        inbound.release();
        if (startupMessage != null) {
            startupMessage.release();
            startupMessage = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        inbound.append(ctx.alloc(), (ByteBuf) msg);
        try {
            if (started) {
                relay();
            } else {
                startup(ctx);
            }
        } catch (ProtocolException e) {
            fail(ctx, "server sent a malformed message: " + e.getMessage());
        } catch (BackendStartupException e) {
            ready.completeExceptionally(e);
            ctx.close();
        }
    }

    private void startup(ChannelHandlerContext ctx) throws BackendStartupException {
        while (!started && inbound.readableBytes() > 0) {
            ByteBuf buf = inbound.buffer();
            int index = buf.readerIndex();
            int length = MessageFraming.completeMessageLength(buf, index, maxMessageSize);
            if (length < 0) {
                return;
            }
            ByteBuf body = buf.slice(index + HEADER_LENGTH, length - HEADER_LENGTH);
            switch (buf.getByte(index)) {
                case MessageTypes.AUTHENTICATION -> {
                    AuthenticationMessage request = AuthenticationMessage.decode(body);
                    if (BackendAuthenticator.isSlow(request)) {
                        respondOffLoop(ctx, request);
                    } else {
                        ByteBuf reply = authenticator.respond(request, ctx.alloc());
                        if (reply != null) {
                            ctx.writeAndFlush(reply);
                        }
                    }
                }
                case MessageTypes.ERROR_RESPONSE -> {
                    ErrorResponse error = ErrorResponse.decode(body);
                    throw new BackendStartupException(error.message(), error);
                }
                case MessageTypes.BACKEND_KEY_DATA -> {
                    BackendKeyData key = BackendKeyData.decode(body);
                    connection.key(new BackendKey(key.processId(), key.secretKey()));
                }
                case MessageTypes.PARAMETER_STATUS -> {
                    ParameterStatus status = ParameterStatus.decode(body);
                    connection.parameter(status.name(), status.value());
                }
                case MessageTypes.READY_FOR_QUERY -> started = true;
                default -> {
                    // NoticeResponse and NegotiateProtocolVersion need no answer during startup.
                }
            }
            inbound.skip(length);
        }
        if (started) {
            ready.complete(connection);
        }
    }

    /** The server waits for this answer, so nothing else arrives meanwhile; the reply is written on the loop. */
    private void respondOffLoop(ChannelHandlerContext ctx, AuthenticationMessage request) {
        slowWork.execute(() -> {
            try {
                ByteBuf reply = authenticator.respond(request, ctx.alloc());
                ctx.executor().execute(() -> ctx.writeAndFlush(reply));
            } catch (BackendStartupException e) {
                ctx.executor().execute(() -> {
                    ready.completeExceptionally(e);
                    ctx.close();
                });
            }
        });
    }

    private void relay() {
        if (partRest > 0 && !relayRestOfPart()) {
            return;
        }
        int run = 0; // bytes from the reader index onward that are scanned and go to the client as one slice
        runAnswers = false;
        while (inbound.readableBytes() > run) {
            ByteBuf buf = inbound.buffer();
            int index = buf.readerIndex() + run;
            int length = MessageFraming.completeMessageLength(buf, index, maxMessageSize);
            if (length < 0) {
                if (relaysInParts(buf, index)) {
                    int available = buf.writerIndex() - index;
                    partRest = buf.getInt(index + 1) + 1 - available;
                    connection.clientMidMessage(true);
                    run += available;
                    runAnswers = true;
                }
                break;
            }
            byte type = buf.getByte(index);
            if (!connection.isBusy() && isUnexpectedWhileIdle(type)) {
                passOn(run);
                closeOnUnexpected(buf, index, length, type);
                return;
            }
            if (connection.pending.answeringInjectedQuery()) {
                run = passOn(run);
                absorbInjectedReply(buf, index, length, type);
                continue;
            }
            PendingResponses.CloseReply closeReply = type == MessageTypes.CLOSE_COMPLETE
                    ? connection.pending.closeComplete() : PendingResponses.CloseReply.PASS;
            if (type == MessageTypes.PARSE_COMPLETE && connection.pending.hideParseComplete()
                    || closeReply != PendingResponses.CloseReply.PASS) {
                run = passOn(run);
                inbound.skip(length);
                if (closeReply == PendingResponses.CloseReply.AS_PARSE_COMPLETE) {
                    connection.listener().onServerMessages(connection, ParseComplete.encode(connection.channel().alloc()), true);
                }
                continue;
            }
            run += length;
            runAnswers |= isUnexpectedWhileIdle(type);
            if (type == MessageTypes.PARAMETER_STATUS) {
                connection.parameterReported();
            }
            if (type == MessageTypes.ERROR_RESPONSE) {
                connection.pending.onError();
            } else if (type == MessageTypes.READY_FOR_QUERY) {
                TransactionStatus status = ReadyForQuery.statusAt(buf, index);
                run = passOn(run);
                boolean failed = connection.readyForQueryReceived(status);
                connection.listener().onReadyForQuery(connection, status, failed);
            }
        }
        passOn(run);
    }

    /**
     * A large DataRow or CopyData of the client's answer is not buffered whole (a client could make
     * every session hold max_message_size that way): what has arrived goes on, the rest as it comes,
     * paced by the client's writability. Only for a listener that takes parts; smaller messages and
     * anything pgsplit reads itself stay whole.
     */
    private boolean relaysInParts(ByteBuf buf, int index) {
        if (buf.writerIndex() - index < HEADER_LENGTH || buf.getInt(index + 1) + 1L <= PARTS_THRESHOLD) {
            return false;
        }
        byte type = buf.getByte(index);
        return (type == MessageTypes.DATA_ROW || type == MessageTypes.COPY_DATA) && connection.isBusy()
                && !connection.pending.answeringInjectedQuery() && connection.listener().takesPartialMessages();
    }

    /** Passes on what has arrived of the message being relayed in parts; true once all of it went. */
    private boolean relayRestOfPart() {
        int part = Math.min(inbound.readableBytes(), partRest);
        partRest -= part;
        connection.clientMidMessage(partRest > 0);
        connection.listener().onServerMessages(connection, inbound.takeSlice(part), true);
        return partRest == 0;
    }

    /**
     * A reply to a query pgsplit injected to align this connection with its client: never passed
     * on. A failure is logged; the client's own work follows and shows what the server makes of it.
     */
    private void absorbInjectedReply(ByteBuf buf, int index, int length, byte type) {
        boolean wantsValue = connection.pending.answeringValueQuery();
        if (type == MessageTypes.ERROR_RESPONSE) {
            injectedFailed = true;
            log.warn("{}: injected query failed: {}", connection,
                    ErrorResponse.decode(buf.slice(index + HEADER_LENGTH, length - HEADER_LENGTH)).message());
        } else if (type == MessageTypes.DATA_ROW && wantsValue && capturedValue == null) {
            capturedValue = firstColumn(buf.slice(index + HEADER_LENGTH, length - HEADER_LENGTH));
        } else if (type == MessageTypes.READY_FOR_QUERY) {
            connection.readyForQueryReceived(ReadyForQuery.statusAt(buf, index));
            boolean failed = injectedFailed;
            injectedFailed = false;
            if (wantsValue) {
                String value = capturedValue;
                capturedValue = null;
                connection.listener().onInjectedValue(connection, value);
            }
            connection.listener().onInjectedQueryAnswered(connection, failed);
        }
        inbound.skip(length);
    }

    /** The first column of a DataRow as text, or null when it is NULL. */
    private static String firstColumn(ByteBuf body) {
        if (body.readableBytes() < 6 || body.getShort(0) < 1) {
            return null;
        }
        int length = body.getInt(2);
        if (length < 0 || length > body.readableBytes() - 6) {
            return null;
        }
        return body.toString(6, length, StandardCharsets.UTF_8);
    }

    /** While a server owes nothing it may send only notifications, notices and parameter changes; anything else answers. */
    private static boolean isUnexpectedWhileIdle(byte type) {
        return type != MessageTypes.NOTIFICATION_RESPONSE && type != MessageTypes.NOTICE_RESPONSE
                && type != MessageTypes.PARAMETER_STATUS;
    }

    /** An idle server speaks out of turn only to say it is going away (FATAL); the client must not see it mid-stream. */
    private void closeOnUnexpected(ByteBuf buf, int index, int length, byte type) {
        String reason = "server sent " + MessageTypes.backendName(type) + " while idle";
        if (type == MessageTypes.ERROR_RESPONSE) {
            reason = ErrorResponse.decode(buf.slice(index + HEADER_LENGTH, length - HEADER_LENGTH)).message();
        }
        inbound.skip(length);
        log.debug("{}: closing: {}", connection, reason);
        closedReason = reason;
        connection.abort();
    }

    private int passOn(int run) {
        if (run > 0) {
            connection.listener().onServerMessages(connection, inbound.takeSlice(run), runAnswers);
            runAnswers = false;
        }
        return 0;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (started && connection.listener() != null) {
            connection.listener().onServerWritabilityChanged(connection);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (started && connection.listener() != null) {
            connection.listener().onServerReadComplete(connection);
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inbound.release();
        if (!started) {
            ready.completeExceptionally(new BackendStartupException("server closed the connection during startup", (Throwable) null));
        } else if (connection.listener() != null) {
            String reason = connection.closeReason() != null ? connection.closeReason()
                    : closedReason != null ? closedReason : "server closed the connection";
            connection.listener().onBackendClosed(connection, reason);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            log.warn("{}: unexpected error; closing the server connection", serverName, cause); // a bug, not the network
        }
        fail(ctx, cause.getMessage() == null ? cause.toString() : cause.getMessage());
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        log.debug("{}: {}", serverName, reason);
        if (closedReason == null) {
            closedReason = reason;
        }
        if (!started) {
            ready.completeExceptionally(new BackendStartupException(reason, (Throwable) null));
        }
        ctx.close();
    }
}
