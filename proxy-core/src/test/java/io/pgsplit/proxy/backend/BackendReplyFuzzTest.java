package io.pgsplit.proxy.backend;

import io.pgsplit.proxy.auth.ServerLogin;
import static io.pgsplit.proxy.fuzz.WireFuzz.concat;
import static io.pgsplit.proxy.fuzz.WireFuzz.cstring;
import static io.pgsplit.proxy.fuzz.WireFuzz.int32;
import static io.pgsplit.proxy.fuzz.WireFuzz.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pgsplit.protocol.auth.SaltedPasswordCache;
import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.protocol.frontend.Query;
import io.pgsplit.protocol.startup.StartupMessage;
import io.pgsplit.proxy.fuzz.LogCapture;
import io.pgsplit.proxy.fuzz.WireFuzz;
import io.pgsplit.testsupport.NettyLeakCheckExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The backend reply decoder — BackendHandler's startup (authentication requests, parameters, key,
 * errors) and its relay of replies to a session — fed random, truncated, oversized and bit-flipped
 * server streams in random pieces (100,000 cases over both phases in the fuzz profile). During startup
 * every case must end, at the latest when the connection closes, in a ready connection or a failed one
 * (never a pending future: a hang); in the relay every run passed on must be whole messages, and a
 * close must be reported once. No exception may escape or be logged as unexpected, and no buffer may leak.
 */
class BackendReplyFuzzTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static final SaltedPasswordCache CACHE = new SaltedPasswordCache(16);
    private static final byte[] AUTHENTICATION_OK = message('R', int32(0));
    private static final byte[] READY_IDLE = message('Z', new byte[] {'I'});
    private static LogCapture errors;

    @BeforeContainer
    static void start() {
        errors = LogCapture.of(BackendHandler.class);
    }

    @AfterContainer
    static void stop() throws InterruptedException {
        errors.close();
        assertThat(NettyLeakCheckExtension.collectLeaks()).isEmpty();
    }

    /** The session side: checks that every run is whole messages, releases it, and counts closes. */
    private static final class CheckingListener implements BackendListener {
        int closes;

        @Override
        public void onServerMessages(BackendConnection backend, ByteBuf messages, boolean answer) {
            try {
                int index = messages.readerIndex();
                while (index < messages.writerIndex()) {
                    int length = messages.getInt(index + 1);
                    assertThat(length).isBetween(4, messages.writerIndex() - index - 1);
                    index += 1 + length;
                }
            } finally {
                messages.release();
            }
        }

        @Override
        public void onReadyForQuery(BackendConnection backend, TransactionStatus status, boolean failed) {
        }

        @Override
        public void onServerReadComplete(BackendConnection backend) {
        }

        @Override
        public void onBackendClosed(BackendConnection backend, String reason) {
            closes++;
        }
    }

    private record Server(EmbeddedChannel channel, BackendConnection connection, CompletableFuture<BackendConnection> ready,
                          CheckingListener listener) {
    }

    /** A server connection as BackendConnector builds one, over an embedded channel; its StartupMessage is drained. */
    private static Server connect() {
        CompletableFuture<BackendConnection> ready = new CompletableFuture<>();
        EmbeddedChannel channel = new EmbeddedChannel(false, false);
        BackendHandler handler = new BackendHandler(new BackendAuthenticator("app", new ServerLogin.Password("s3cret"), CACHE), Runnable::run,
                StartupMessage.v3(Map.of("user", "app")).encode(ALLOC), 8192, ready, "pg1");
        BackendConnection connection = new BackendConnection("pg1", channel, Map.of());
        handler.connection(connection);
        CheckingListener listener = new CheckingListener();
        connection.attach(listener);
        channel.pipeline().addLast(handler);
        try {
            channel.register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        drainWrites(channel);
        return new Server(channel, connection, ready, listener);
    }

    private static void drainWrites(EmbeddedChannel channel) {
        for (Object written = channel.readOutbound(); written != null; written = channel.readOutbound()) {
            ((ByteBuf) written).release();
        }
    }

    private static void assertEndsCleanly(Server server) {
        server.channel().runPendingTasks();
        drainWrites(server.channel());
        server.channel().close();
        server.channel().runPendingTasks();
        assertThat(server.ready()).as("startup decided once the connection is gone").isDone();
        assertThat(server.listener().closes).as("closes reported").isLessThanOrEqualTo(1);
        if (server.ready().isDone() && !server.ready().isCompletedExceptionally()) {
            assertThat(server.listener().closes).as("a started connection reports its close").isEqualTo(1);
        }
        server.channel().checkException();
        assertThat(errors.drain()).as("unexpected exceptions").isEmpty();
    }

    /**
     * One property for both phases of the decoder: half the streams begin with an intact startup, so the
     * damaged frames after it reach the relay with replies owed in one of the shapes a session leaves.
     */
    @Property
    void everyServerStreamEndsReadyOrFailedAndIsRelayedAsWholeMessages(@ForAll boolean started, @ForAll @IntRange(max = 5) int owed,
            @ForAll("serverStreams") byte[] stream, @ForAll("cuts") List<Double> cuts) {
        Server server = connect();
        try {
            if (started) {
                server.channel().writeInbound(ALLOC.buffer().writeBytes(concat(AUTHENTICATION_OK, READY_IDLE)));
                assertThat(server.ready()).isCompleted();
                expectReplies(server.connection(), owed);
                drainWrites(server.channel());
            }
            WireFuzz.feed(server.channel(), stream, cuts);
            assertEndsCleanly(server);
        } finally {
            server.channel().finishAndReleaseAll();
        }
    }

    /** Found by this fuzzer: a ReadyForQuery without its status byte had the next message's type read as its status. */
    @Example
    void aReadyForQueryWithoutItsStatusClosesTheConnection() {
        byte[] shortReady = message('Z', new byte[0]);
        everyServerStreamEndsReadyOrFailedAndIsRelayedAsWholeMessages(true, 1, concat(shortReady, READY_IDLE), List.of());
        everyServerStreamEndsReadyOrFailedAndIsRelayedAsWholeMessages(true, 1, shortReady, List.of());
    }

    /** What the connection waits for, as a session's dispatches leave it: nothing, groups, injected queries, hidden replies. */
    private static void expectReplies(BackendConnection connection, int shape) {
        switch (shape) {
            case 1 -> connection.send(null, null, query(), new Dispatch(0, 0, 0, 0, true));
            case 2 -> connection.send(query(), null, query(), new Dispatch(0, 0, 0, 0, true));
            case 3 -> connection.send(null, query(), query(), new Dispatch(1, 1, 1, 0, true));
            case 4 -> {
                connection.send(null, null, query(), new Dispatch(0, 0, 0, 0, true));
                connection.sendValueQuery(query());
            }
            case 5 -> connection.send(null, null, query(), new Dispatch(0, 0, 1, 0, false));
            default -> {
            }
        }
        connection.flush();
    }

    private static ByteBuf query() {
        return new Query("SELECT 1").encode(ALLOC);
    }

    @Provide
    Arbitrary<List<Double>> cuts() {
        return WireFuzz.cuts();
    }

    @Provide
    Arbitrary<byte[]> serverStreams() {
        return WireFuzz.damagedStream(Arbitraries.oneOf(startupFrames(), replyFrames()), 10);
    }

    private static Arbitrary<byte[]> startupFrames() {
        Arbitrary<byte[]> authentication = Arbitraries.oneOf(
                Arbitraries.of(0, 2, 3, 7, 9, 12).map(code -> message('R', int32(code))),
                WireFuzz.randomBytes(8).map(salt -> message('R', concat(int32(5), salt))),
                Arbitraries.of("SCRAM-SHA-256", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-1", "")
                        .list().ofMaxSize(3).map(names -> message('R', concat(int32(10),
                                concat(names.stream().map(WireFuzz::cstring).toArray(byte[][]::new)), new byte[] {0}))),
                Combinators.combine(Arbitraries.of(11, 12), scramText()).as((code, text) -> message('R', concat(int32(code), text))),
                Combinators.combine(Arbitraries.integers(), WireFuzz.randomBytes(24)).as((code, body) -> message('R', concat(int32(code), body))));
        return Arbitraries.frequencyOf(
                Tuple.of(4, authentication),
                Tuple.of(2, Combinators.combine(WireFuzz.text(), WireFuzz.text()).as((n, v) -> message('S', concat(cstring(n), cstring(v))))),
                Tuple.of(1, WireFuzz.randomBytes(10).map(body -> message('K', body))),
                Tuple.of(2, errorFields().map(fields -> message('E', fields))),
                Tuple.of(1, errorFields().map(fields -> message('N', fields))),
                Tuple.of(1, WireFuzz.randomBytes(16).map(body -> message('v', body))),
                Tuple.of(2, Arbitraries.of('I', 'T', 'E', 'x').map(status -> message('Z', new byte[] {(byte) (char) status}))),
                Tuple.of(1, WireFuzz.anyMessage()));
    }

    private static Arbitrary<byte[]> replyFrames() {
        Arbitrary<byte[]> empty = Arbitraries.of('1', '2', '3', 'I', 'n', 's', 'c').map(type -> message(type, new byte[0]));
        Arbitrary<byte[]> rows = Combinators.combine(Arbitraries.integers().between(-1, 3), WireFuzz.randomBytes(20))
                .as((columns, values) -> message('D', concat(WireFuzz.int16(columns), values)));
        Arbitrary<byte[]> typed = Combinators.combine(Arbitraries.of('T', 't', 'C', 'A', 'S', 'G', 'H', 'W', 'd', 'V'), WireFuzz.randomBytes(24))
                .as(WireFuzz::message);
        return Arbitraries.frequencyOf(
                Tuple.of(3, empty), Tuple.of(4, rows), Tuple.of(3, typed),
                Tuple.of(2, errorFields().map(fields -> message('E', fields))),
                Tuple.of(1, errorFields().map(fields -> message('N', fields))),
                Tuple.of(3, Arbitraries.of('I', 'T', 'E', 'x').map(status -> message('Z', new byte[] {(byte) (char) status}))),
                Tuple.of(1, WireFuzz.anyMessage()));
    }

    /** ErrorResponse/NoticeResponse bodies: the usual fields, often missing SQLSTATE or message, sometimes no terminator. */
    private static Arbitrary<byte[]> errorFields() {
        Arbitrary<byte[]> field = Combinators.combine(Arbitraries.of('S', 'V', 'C', 'M', 'D', 'H', 'P', 'x'), WireFuzz.text())
                .as((code, value) -> concat(new byte[] {(byte) (char) code}, cstring(value)));
        return Combinators.combine(field.list().ofMaxSize(5), Arbitraries.of(true, true, true, false))
                .as((fields, terminated) -> concat(concat(fields.toArray(byte[][]::new)), terminated ? new byte[] {0} : new byte[0]));
    }

    /** SCRAM server messages: attributes in and out of order, odd iteration counts, long nonces. */
    private static Arbitrary<byte[]> scramText() {
        Arbitrary<String> iterations = Arbitraries.of("4096", "0", "-1", "2147483647", "4294967296", "1e3", "");
        Arbitrary<String> nonce = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.strings().alpha().ofMaxLength(30)),
                Tuple.of(1, Arbitraries.integers().between(1000, 5000).map("n"::repeat)));
        return Combinators.combine(nonce, Arbitraries.strings().withChars("ABCabc+/=").ofMaxLength(24), iterations,
                        Arbitraries.of("", ",m=ext", ",e=invalid-proof"))
                .as((r, salt, i, tail) -> ("r=" + r + ",s=" + salt + ",i=" + i + tail).getBytes(StandardCharsets.ISO_8859_1));
    }
}
