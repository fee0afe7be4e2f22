package io.pgsplit.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pgsplit.protocol.MessageFraming;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.SqlState;
import io.pgsplit.protocol.WireMessage;
import io.pgsplit.protocol.auth.ScramSha256Client;
import io.pgsplit.protocol.backend.AuthenticationMessage;
import io.pgsplit.protocol.backend.AuthenticationOk;
import io.pgsplit.protocol.backend.AuthenticationSasl;
import io.pgsplit.protocol.backend.AuthenticationSaslContinue;
import io.pgsplit.protocol.backend.AuthenticationSaslFinal;
import io.pgsplit.protocol.backend.ErrorFields;
import io.pgsplit.protocol.backend.ErrorResponse;
import io.pgsplit.protocol.frontend.SaslInitialResponse;
import io.pgsplit.protocol.frontend.SaslResponse;
import io.pgsplit.protocol.startup.StartupMessage;
import io.pgsplit.proxy.ProxyContext;
import io.pgsplit.proxy.TestContexts;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The front door as a client meets it: pending logins, login timeout, client slots and their reserve, failed-login delays. */
class FrontDoorStartupTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BASE = """
            listen: 127.0.0.1:6432
            servers:
              - { name: pg1, host: 127.0.0.1, port: 15432 }
            users:
              - { name: app, password: s3cret }
              - { name: ops, password: 0ps, admin: true }
            """;

    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private ProxyContext context;

    @AfterEach
    void closeAll() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        if (context != null) {
            context.health().close();
        }
    }

    private void configure(String limits) throws Exception {
        context = TestContexts.fromYaml(BASE + limits);
    }

    private EmbeddedChannel connect() {
        return connectFrom(null);
    }

    /** A client connection; {@code from} its address, or the embedded channel's own (not an IP address) when null. */
    private EmbeddedChannel connectFrom(InetSocketAddress from) {
        EmbeddedChannel channel = new EmbeddedChannel(DefaultChannelId.newInstance()) {
            @Override
            protected SocketAddress remoteAddress0() {
                return from != null ? from : super.remoteAddress0();
            }
        };
        channel.freezeTime(); // before the handler arms the login deadline, so advancing time is exact
        channel.pipeline().addLast(new StartupHandler(context));
        channels.add(channel);
        return channel;
    }

    /** Takes a client slot as an authenticated client would, held until the returned channel closes. */
    private EmbeddedChannel holdSlot(boolean admin) {
        EmbeddedChannel holder = new EmbeddedChannel();
        channels.add(holder);
        assertThat(context.frontDoor().begin(holder).authenticated(admin)).isNull();
        return holder;
    }

    private static void send(EmbeddedChannel channel, WireMessage message) {
        channel.writeInbound(message.encode(ALLOC));
    }

    private static void startup(EmbeddedChannel channel, String user) {
        send(channel, StartupMessage.v3(Map.of("user", user)));
    }

    private static Object nextReply(EmbeddedChannel channel) {
        ByteBuf reply = channel.readOutbound();
        if (reply == null) {
            return null;
        }
        try {
            ByteBuf body = MessageFraming.body(reply);
            return switch (reply.getByte(reply.readerIndex())) {
                case MessageTypes.ERROR_RESPONSE -> ErrorResponse.decode(body);
                case MessageTypes.AUTHENTICATION -> AuthenticationMessage.decode(body);
                default -> throw new AssertionError("unexpected reply type " + (char) reply.getByte(reply.readerIndex()));
            };
        } finally {
            reply.release();
        }
    }

    private static void assertFatal(EmbeddedChannel channel, String sqlState) {
        Object reply = nextReply(channel);
        assertThat(reply).as("reply").isInstanceOf(ErrorResponse.class);
        ErrorResponse error = (ErrorResponse) reply;
        assertThat(error.severity()).isEqualTo("FATAL");
        assertThat(error.sqlState()).as("SQLSTATE of %s", error).isEqualTo(sqlState);
        assertThat(channel.isOpen()).as("closed after the error").isFalse();
    }

    private static void advance(EmbeddedChannel channel, long amount, TimeUnit unit) {
        channel.advanceTimeBy(amount, unit);
        channel.runScheduledPendingTasks();
    }

    /** Runs SCRAM up to the client's proof; the server's verdict is what the channel writes next. */
    private static void sendScramProof(EmbeddedChannel channel, String user, String password) {
        startup(channel, user);
        assertThat(nextReply(channel)).isInstanceOf(AuthenticationSasl.class);
        ScramSha256Client client = new ScramSha256Client(password, RANDOM);
        send(channel, new SaslInitialResponse("SCRAM-SHA-256", client.clientFirstMessage()));
        Object serverFirst = nextReply(channel);
        assertThat(serverFirst).isInstanceOf(AuthenticationSaslContinue.class);
        send(channel, new SaslResponse(client.clientFinalMessage(((AuthenticationSaslContinue) serverFirst).data())));
    }

    @Test
    void aSilentConnectionIsClosedTenSecondsAfterAcceptByDefault() throws Exception {
        configure("");
        EmbeddedChannel silent = connect();

        advance(silent, 9_999, TimeUnit.MILLISECONDS);
        assertThat(silent.isOpen()).isTrue();
        advance(silent, 1, TimeUnit.MILLISECONDS);

        assertFatal(silent, SqlState.CANNOT_CONNECT_NOW);
        assertThat(context.metrics().clientRefusals("login_timeout")).isEqualTo(1);
    }

    @Test
    void theLoginTimeoutCoversAClientThatStopsInTheMiddleOfAuthentication() throws Exception {
        configure("limits: { login_timeout: 2s }");
        EmbeddedChannel client = connect();
        startup(client, "app");
        assertThat(nextReply(client)).isInstanceOf(AuthenticationSasl.class);

        advance(client, 2, TimeUnit.SECONDS);

        assertFatal(client, SqlState.CANNOT_CONNECT_NOW);
    }

    @Test
    void connectionsThatHaveNotAuthenticatedDoNotCountAgainstMaxClientConnections() throws Exception {
        configure("limits: { max_client_connections: 1 }");
        for (int i = 0; i < 5; i++) {
            context.metrics().clientConnected(); // as ClientChannelInitializer counts every accepted connection
            connect();
        }
        EmbeddedChannel real = connect();
        context.metrics().clientConnected();

        startup(real, "app");

        assertThat(nextReply(real)).isInstanceOf(AuthenticationSasl.class);
    }

    @Test
    void overMaxClientConnectionsTheStartupPacketGets53300BeforeAnyAuthenticationWork() throws Exception {
        configure("limits: { max_client_connections: 2 }");
        holdSlot(true);
        holdSlot(true);
        EmbeddedChannel client = connect();

        startup(client, "app");

        assertFatal(client, SqlState.TOO_MANY_CONNECTIONS);
        assertThat(context.metrics().clientRefusals("max_client_connections")).isEqualTo(1);
    }

    @Test
    void aSlotFreedByAClosingClientIsTakenByTheNext() throws Exception {
        configure("limits: { max_client_connections: 1 }");
        EmbeddedChannel holder = holdSlot(false);
        holder.close();
        EmbeddedChannel client = connect();

        startup(client, "app");

        assertThat(nextReply(client)).isInstanceOf(AuthenticationSasl.class);
    }

    @Test
    void theReservedSlotIsRefusedToAUserOnceAuthenticatedAndGivenToAnAdmin() throws Exception {
        configure("limits: { max_client_connections: 2, reserved_connections: 1 }");
        holdSlot(false);
        EmbeddedChannel user = connect();
        EmbeddedChannel admin = connect();

        sendScramProof(user, "app", "s3cret");
        ErrorResponse refused = (ErrorResponse) nextReply(user);
        assertThat(refused.sqlState()).isEqualTo(SqlState.TOO_MANY_CONNECTIONS);
        assertThat(refused.message()).isEqualTo("remaining connection slots are reserved for admin users");
        assertThat(user.isOpen()).isFalse();

        sendScramProof(admin, "ops", "0ps");
        assertThat(nextReply(admin)).isInstanceOf(AuthenticationSaslFinal.class);
        assertThat(nextReply(admin)).isInstanceOf(AuthenticationOk.class);
        assertThat(context.metrics().clientRefusals("reserved_connections")).isEqualTo(1);
    }

    @Test
    void overMaxPendingLoginsTheOldestPendingConnectionMakesRoom() throws Exception {
        configure("limits: { max_pending_logins: 2 }");
        EmbeddedChannel oldest = connect();
        EmbeddedChannel middle = connect();

        EmbeddedChannel newest = connect();
        oldest.runPendingTasks(); // the eviction runs on the evicted connection's own loop

        assertFatal(oldest, SqlState.TOO_MANY_CONNECTIONS);
        assertThat(middle.isOpen()).isTrue();
        assertThat(newest.isOpen()).isTrue();
        assertThat(context.frontDoor().pendingLogins()).isEqualTo(2);
        assertThat(context.metrics().clientRefusals("max_pending_logins")).isEqualTo(1);
    }

    @Test
    void anAuthenticatedClientStopsBeingAPendingLogin() throws Exception {
        configure("limits: { max_pending_logins: 1 }");
        EmbeddedChannel client = connect();
        sendScramProof(client, "app", "s3cret");
        assertThat(context.frontDoor().pendingLogins()).isZero();

        connect();

        assertThat(context.metrics().clientRefusals("max_pending_logins")).isZero();
    }

    @Test
    void nothingIsReadFromTheClientWhileItsFirstServerConnectionOpens() throws Exception {
        configure("");
        EmbeddedChannel client = connect();
        List<Boolean> autoReadAtEachError = new ArrayList<>();
        client.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof ByteBuf buf && buf.isReadable() && buf.getByte(buf.readerIndex()) == MessageTypes.ERROR_RESPONSE) {
                    autoReadAtEachError.add(ctx.channel().config().isAutoRead());
                }
                ctx.write(msg, promise);
            }
        });

        sendScramProof(client, "app", "s3cret"); // no server is known here: the first connection fails

        assertThat(nextReply(client)).isInstanceOf(AuthenticationSaslFinal.class);
        assertThat(nextReply(client)).isInstanceOf(AuthenticationOk.class);
        assertThat(nextReply(client)).isInstanceOf(ErrorResponse.class);
        assertThat(autoReadAtEachError).as("reading while the server connection was opened").containsExactly(false);
    }

    @Test
    void aFailedLoginIsAnsweredAfterADelayThatGrowsPerSourceAddress() throws Exception {
        configure("");
        InetSocketAddress guesser = new InetSocketAddress("192.0.2.7", 40000);
        EmbeddedChannel first = connectFrom(guesser);
        sendScramProof(first, "app", "guess-1");
        assertThat(nextReply(first)).as("nothing before the delay").isNull();
        advance(first, 100, TimeUnit.MILLISECONDS);
        assertFatal(first, SqlState.INVALID_PASSWORD);

        EmbeddedChannel second = connectFrom(new InetSocketAddress("192.0.2.7", 40001));
        sendScramProof(second, "app", "guess-2");
        advance(second, 199, TimeUnit.MILLISECONDS);
        assertThat(nextReply(second)).isNull();
        advance(second, 1, TimeUnit.MILLISECONDS);
        assertFatal(second, SqlState.INVALID_PASSWORD);

        assertThat(context.metrics().authFailures("wrong_password")).isEqualTo(2);
    }

    @Test
    void aCorrectLoginIsNeverDelayedEvenFromAnAddressThatFailed() throws Exception {
        configure("");
        InetSocketAddress host = new InetSocketAddress("192.0.2.7", 40000);
        for (int i = 0; i < 3; i++) {
            EmbeddedChannel failing = connectFrom(host);
            sendScramProof(failing, "app", "typo");
        }
        EmbeddedChannel real = connectFrom(host);

        sendScramProof(real, "app", "s3cret");

        assertThat(nextReply(real)).isInstanceOf(AuthenticationSaslFinal.class);
        assertThat(nextReply(real)).isInstanceOf(AuthenticationOk.class);
    }

    @Test
    void anotherAddressIsNotDelayedByAGuesser() throws Exception {
        configure("");
        for (int i = 0; i < 5; i++) {
            sendScramProof(connectFrom(new InetSocketAddress("192.0.2.7", 40000 + i)), "app", "guess");
        }
        EmbeddedChannel other = connectFrom(new InetSocketAddress("198.51.100.1", 50000));

        sendScramProof(other, "app", "typo");
        advance(other, 100, TimeUnit.MILLISECONDS);

        assertFatal(other, SqlState.INVALID_PASSWORD);
    }

    @Test
    void anUnknownUserIsCountedAsSuch() throws Exception {
        configure("");
        EmbeddedChannel client = connect();

        sendScramProof(client, "nobody", "x");

        assertFatal(client, SqlState.INVALID_PASSWORD);
        assertThat(context.metrics().authFailures("unknown_user")).isEqualTo(1);
    }

    @Test
    void anOverLongScramNonceGetsACleanInvalidPasswordAndClose() throws Exception {
        configure("");
        EmbeddedChannel client = connect();
        startup(client, "app");
        assertThat(nextReply(client)).isInstanceOf(AuthenticationSasl.class);

        String clientFirst = "n,,n=,r=" + "x".repeat(60_000);
        send(client, new SaslInitialResponse("SCRAM-SHA-256", clientFirst.getBytes(StandardCharsets.US_ASCII)));

        assertFatal(client, SqlState.INVALID_PASSWORD);
    }

    @Test
    void aServerErrorWithoutSqlStateReachesTheClientAsAComplete08006() {
        ErrorResponse incomplete = new ErrorResponse(Map.of(ErrorFields.SEVERITY, "FATAL", ErrorFields.MESSAGE, "go away"));

        ErrorResponse forClient = SessionStart.forClient(incomplete);

        assertThat(forClient.severity()).isEqualTo("FATAL");
        assertThat(forClient.sqlState()).isEqualTo(SqlState.CONNECTION_FAILURE);
        assertThat(forClient.message()).endsWith("go away");
        ErrorResponse complete = ErrorResponse.fatal("3D000", "database \"x\" does not exist");
        assertThat(SessionStart.forClient(complete)).isSameAs(complete);
    }
}
