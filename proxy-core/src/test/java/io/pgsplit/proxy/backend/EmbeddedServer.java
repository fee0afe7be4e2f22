package io.pgsplit.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pgsplit.protocol.CStrings;
import io.pgsplit.protocol.MessageFraming;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.auth.SaltedPasswordCache;
import io.pgsplit.protocol.backend.AuthenticationOk;
import io.pgsplit.protocol.backend.BackendKeyData;
import io.pgsplit.protocol.backend.ParameterStatus;
import io.pgsplit.protocol.backend.ReadyForQuery;
import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.protocol.startup.StartupMessage;
import io.pgsplit.proxy.auth.ServerLogin;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A real {@link BackendConnection} behind its real {@link BackendHandler}, over an {@link EmbeddedChannel}
 * instead of a socket: a test plays the server, writing its replies as bytes ({@link #reply}) and reading what
 * the proxy sent it as one line per message ({@link #received}). Nothing runs on another thread.
 */
public final class EmbeddedServer {
    private static final int MAX_MESSAGE_SIZE = 1 << 20;
    private static int nextProcessId = 1000;

    private final String name;
    private final EmbeddedChannel channel;
    private final BackendConnection connection;

    private EmbeddedServer(String name, EmbeddedChannel channel, BackendConnection connection) {
        this.name = name;
        this.channel = channel;
        this.connection = connection;
    }

    /** A connection that has completed startup: trusted, with a BackendKeyData and ReadyForQuery 'I'. */
    public static EmbeddedServer started(String serverName, Map<String, String> startupParameters) {
        CompletableFuture<BackendConnection> ready = new CompletableFuture<>();
        BackendHandler handler = new BackendHandler(new BackendAuthenticator("app", new ServerLogin.None("trusted by the test"), new SaltedPasswordCache(1)),
                Runnable::run, StartupMessage.v3(startupParameters).encode(ByteBufAllocator.DEFAULT), MAX_MESSAGE_SIZE,
                ready, serverName);
        EmbeddedChannel channel = new EmbeddedChannel(false, true);
        BackendConnection connection = new BackendConnection(serverName, channel, Map.of());
        handler.connection(connection);
        channel.pipeline().addLast(handler);
        try {
            channel.register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        releaseAll(channel.outboundMessages()); // the StartupMessage
        ByteBuf startup = Unpooled.buffer();
        new AuthenticationOk().encode(startup);
        new ParameterStatus("server_version", "15.0").encode(startup);
        new BackendKeyData(nextProcessId++, 42).encode(startup);
        new ReadyForQuery(TransactionStatus.IDLE).encode(startup);
        channel.writeInbound(startup);
        if (!ready.isDone()) {
            throw new AssertionError(serverName + " did not complete startup");
        }
        return new EmbeddedServer(serverName, channel, connection);
    }

    public String name() {
        return name;
    }

    public BackendConnection connection() {
        return connection;
    }

    /** Whole server messages, as one read of the server's socket. */
    public void reply(ByteBuf messages) {
        channel.writeInbound(messages);
    }

    /** The frontend messages the proxy flushed to this server since the last call, one line each. */
    public List<String> received() {
        List<String> lines = new ArrayList<>();
        ByteBuf written;
        while ((written = channel.readOutbound()) != null) {
            try {
                lines.addAll(FrontendLines.of(written));
            } finally {
                written.release();
            }
        }
        return lines;
    }

    /** The bytes the proxy flushed to this server since the last call, as they are, parts of messages included. */
    public byte[] receivedBytes() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        ByteBuf written;
        while ((written = channel.readOutbound()) != null) {
            try {
                byte[] part = new byte[written.readableBytes()];
                written.readBytes(part);
                bytes.writeBytes(part);
            } finally {
                written.release();
            }
        }
        return bytes.toByteArray();
    }

    /** The server goes away (crash, network): the connection closes under the proxy. */
    public void die() {
        channel.close();
        channel.runPendingTasks();
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    /** The end of a test: whatever is left in the channel is released. */
    public void release() {
        channel.finishAndReleaseAll();
    }

    private static void releaseAll(java.util.Queue<Object> messages) {
        Object message;
        while ((message = messages.poll()) != null) {
            io.netty.util.ReferenceCountUtil.release(message);
        }
    }

    /** Frontend messages as lines: the SQL of Query and Parse, the names of Bind, Describe and Close, else the type. */
    static final class FrontendLines {
        private FrontendLines() {
        }

        static List<String> of(ByteBuf bytes) {
            List<String> lines = new ArrayList<>();
            int index = bytes.readerIndex();
            while (index < bytes.writerIndex()) {
                int length = MessageFraming.completeMessageLength(bytes, index, Integer.MAX_VALUE);
                if (length < 0) {
                    throw new AssertionError("the proxy sent a partial message at offset " + index);
                }
                ByteBuf body = bytes.slice(index + MessageFraming.HEADER_LENGTH, length - MessageFraming.HEADER_LENGTH);
                lines.add(line(bytes.getByte(index), body));
                index += length;
            }
            return lines;
        }

        private static String line(byte type, ByteBuf body) {
            return switch (type) {
                case MessageTypes.QUERY -> "Query " + CStrings.read(body);
                case MessageTypes.PARSE -> "Parse " + CStrings.read(body) + " " + CStrings.read(body);
                case MessageTypes.BIND -> "Bind " + CStrings.read(body) + " " + CStrings.read(body);
                case MessageTypes.DESCRIBE -> "Describe " + (char) body.readByte() + " " + CStrings.read(body);
                case MessageTypes.CLOSE -> "Close " + (char) body.readByte() + " " + CStrings.read(body);
                case MessageTypes.EXECUTE -> "Execute";
                case MessageTypes.SYNC -> "Sync";
                case MessageTypes.FLUSH -> "Flush";
                case MessageTypes.COPY_DATA -> "CopyData " + body.toString(StandardCharsets.UTF_8);
                case MessageTypes.COPY_DONE -> "CopyDone";
                case MessageTypes.TERMINATE -> "Terminate";
                default -> "message " + (char) type;
            };
        }
    }
}
