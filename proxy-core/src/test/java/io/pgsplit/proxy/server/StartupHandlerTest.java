package io.pgsplit.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pgsplit.protocol.MessageFraming;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.SqlState;
import io.pgsplit.protocol.WireMessage;
import io.pgsplit.protocol.auth.ScramSha256Client;
import io.pgsplit.protocol.backend.AuthenticationMessage;
import io.pgsplit.protocol.backend.AuthenticationSasl;
import io.pgsplit.protocol.backend.AuthenticationSaslContinue;
import io.pgsplit.protocol.backend.ErrorResponse;
import io.pgsplit.protocol.backend.NegotiateProtocolVersion;
import io.pgsplit.protocol.frontend.Query;
import io.pgsplit.protocol.frontend.SaslInitialResponse;
import io.pgsplit.protocol.frontend.SaslResponse;
import io.pgsplit.protocol.startup.CancelRequest;
import io.pgsplit.protocol.startup.SslRequest;
import io.pgsplit.protocol.startup.StartupMessage;
import io.pgsplit.proxy.ProxyContext;
import io.pgsplit.proxy.TestContexts;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StartupHandlerTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static final int PROTOCOL_3_0 = 3 << 16;
    private static ProxyContext context;

    private EmbeddedChannel channel;

    @BeforeAll
    static void createContext() throws Exception {
        context = TestContexts.fromYaml("""
                listen: 127.0.0.1:6432
                servers:
                  - { name: pg1, host: 127.0.0.1, port: 15432 }
                users:
                  - { name: app, password: s3cret }
                """);
    }

    @AfterAll
    static void closeContext() {
        context.health().close();
    }

    @AfterEach
    void closeChannel() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private EmbeddedChannel connect() {
        channel = new EmbeddedChannel(new StartupHandler(context));
        return channel;
    }

    private void send(WireMessage message) {
        channel.writeInbound(message.encode(ALLOC));
    }

    private static Map<String, String> parameters(String... namesAndValues) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            parameters.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return parameters;
    }

    /** The next message the handler sent, decoded by its type byte; the buffer is released. */
    private Object nextReply() {
        ByteBuf reply = channel.readOutbound();
        assertThat(reply).as("a reply").isNotNull();
        try {
            ByteBuf body = MessageFraming.body(reply);
            return switch (reply.getByte(reply.readerIndex())) {
                case MessageTypes.ERROR_RESPONSE -> ErrorResponse.decode(body);
                case MessageTypes.AUTHENTICATION -> AuthenticationMessage.decode(body);
                case MessageTypes.NEGOTIATE_PROTOCOL_VERSION -> NegotiateProtocolVersion.decode(body);
                default -> throw new AssertionError("unexpected reply type " + (char) reply.getByte(reply.readerIndex()));
            };
        } finally {
            reply.release();
        }
    }

    private ErrorResponse nextError() {
        Object reply = nextReply();
        assertThat(reply).isInstanceOf(ErrorResponse.class);
        return (ErrorResponse) reply;
    }

    private void assertFatalAndClosed(String sqlState) {
        ErrorResponse error = nextError();
        assertThat(error.severity()).isEqualTo("FATAL");
        assertThat(error.sqlState()).isEqualTo(sqlState);
        assertThat(channel.isOpen()).as("closed after the error").isFalse();
    }

    @Test
    void sslRequestIsAnsweredWithTheSingleByteN() {
        connect();
        send(new SslRequest());

        ByteBuf answer = channel.readOutbound();
        try {
            assertThat(answer.readableBytes()).isEqualTo(1);
            assertThat(answer.getByte(answer.readerIndex())).isEqualTo((byte) 'N');
        } finally {
            answer.release();
        }
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void startupContinuesInPlainTextAfterTheDeclinedSslRequest() {
        connect();
        send(new SslRequest());
        ((ByteBuf) channel.readOutbound()).release();

        send(StartupMessage.v3(parameters("user", "app")));

        assertThat(nextReply()).isInstanceOf(AuthenticationSasl.class);
    }

    @Test
    void startupPacketSplitAcrossReadsIsReassembled() {
        connect();
        ByteBuf startup = StartupMessage.v3(parameters("user", "app", "database", "shop")).encode(ALLOC);
        channel.writeInbound(startup.readRetainedSlice(3));
        channel.writeInbound(startup.readRetainedSlice(startup.readableBytes()));
        startup.release();

        assertThat(nextReply()).isInstanceOf(AuthenticationSasl.class);
    }

    @Test
    void oversizedStartupPacketGetsProtocolViolationAndTheChannelCloses() {
        connect();
        ByteBuf header = ALLOC.buffer(8).writeInt(20_000).writeInt(PROTOCOL_3_0);

        channel.writeInbound(header);

        assertFatalAndClosed(SqlState.PROTOCOL_VIOLATION);
    }

    @Test
    void protocolVersionFourIsRefusedAsUnsupported() {
        connect();

        send(new StartupMessage(4, 0, parameters("user", "app")));

        assertFatalAndClosed(SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void startupWithoutAUserIsRefusedWithInvalidAuthorization() {
        connect();

        send(StartupMessage.v3(parameters("database", "shop")));

        assertFatalAndClosed(SqlState.INVALID_AUTHORIZATION_SPECIFICATION);
    }

    @Test
    void replicationConnectionIsRefusedAsUnsupported() {
        connect();

        send(StartupMessage.v3(parameters("user", "app", "replication", "database")));

        assertFatalAndClosed(SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void newerMinorVersionWithAProtocolExtensionIsNegotiatedDownThenAuthenticated() {
        connect();

        send(new StartupMessage(3, 2, parameters("user", "app", "_pq_.x", "1")));

        assertThat(nextReply()).isEqualTo(new NegotiateProtocolVersion(0, List.of("_pq_.x")));
        assertThat(nextReply()).isInstanceOf(AuthenticationSasl.class);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void plainVersionThreeNeedsNoNegotiation() {
        connect();

        send(StartupMessage.v3(parameters("user", "app")));

        assertThat(nextReply()).isInstanceOf(AuthenticationSasl.class);
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void wrongScramPasswordGetsInvalidPasswordAndTheChannelCloses() {
        connect();
        send(StartupMessage.v3(parameters("user", "app")));
        assertThat(nextReply()).isInstanceOf(AuthenticationSasl.class);
        ScramSha256Client client = new ScramSha256Client("wrong", new SecureRandom());

        send(new SaslInitialResponse("SCRAM-SHA-256", client.clientFirstMessage()));
        Object serverFirst = nextReply();
        assertThat(serverFirst).isInstanceOf(AuthenticationSaslContinue.class);
        send(new SaslResponse(client.clientFinalMessage(((AuthenticationSaslContinue) serverFirst).data())));

        ErrorResponse error = nextError();
        assertThat(error.sqlState()).isEqualTo(SqlState.INVALID_PASSWORD);
        assertThat(error.message()).isEqualTo("password authentication failed for user \"app\"");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void messageOtherThanAPasswordDuringAuthenticationIsAProtocolViolation() {
        connect();
        send(StartupMessage.v3(parameters("user", "app")));
        assertThat(nextReply()).isInstanceOf(AuthenticationSasl.class);

        send(new Query("SELECT 1"));

        assertFatalAndClosed(SqlState.PROTOCOL_VIOLATION);
    }

    @Test
    void cancelRequestClosesTheConnectionWithoutAnswer() {
        connect();

        send(new CancelRequest(42, 4242));

        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void authenticationTimeoutEndsTheConnection() {
        connect();
        send(StartupMessage.v3(parameters("user", "app")));
        assertThat(nextReply()).isInstanceOf(AuthenticationSasl.class);

        channel.advanceTimeBy(11, TimeUnit.SECONDS); // limits.login_timeout, 10 s by default
        channel.runScheduledPendingTasks();

        assertFatalAndClosed(SqlState.CANNOT_CONNECT_NOW);
    }

    /** A context allowing one client, with {@code authenticated} clients holding slots already. */
    private static ProxyContext contextWithOneClientAllowed(int authenticated) throws Exception {
        ProxyContext limited = TestContexts.fromYaml("""
                listen: 127.0.0.1:6432
                servers:
                  - { name: pg1, host: 127.0.0.1, port: 15432 }
                users:
                  - { name: app, password: s3cret }
                limits:
                  max_client_connections: 1
                """);
        for (int i = 0; i < authenticated; i++) {
            limited.frontDoor().begin(new EmbeddedChannel()).authenticated(false);
        }
        return limited;
    }

    @Test
    void connectionOverTheClientLimitIsRefusedWithTooManyConnections() throws Exception {
        ProxyContext limited = contextWithOneClientAllowed(1);
        try {
            channel = new EmbeddedChannel(new StartupHandler(limited));

            send(StartupMessage.v3(parameters("user", "app")));

            assertFatalAndClosed(SqlState.TOO_MANY_CONNECTIONS);
        } finally {
            limited.health().close();
        }
    }

    @Test
    void lastConnectionWithinTheClientLimitIsAccepted() throws Exception {
        ProxyContext limited = contextWithOneClientAllowed(0);
        try {
            channel = new EmbeddedChannel(new StartupHandler(limited));

            send(StartupMessage.v3(parameters("user", "app")));

            assertThat(nextReply()).isInstanceOf(AuthenticationSasl.class);
        } finally {
            limited.health().close();
        }
    }
}
