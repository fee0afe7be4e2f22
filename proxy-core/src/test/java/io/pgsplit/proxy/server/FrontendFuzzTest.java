package io.pgsplit.proxy.server;

import static io.pgsplit.proxy.fuzz.WireFuzz.concat;
import static io.pgsplit.proxy.fuzz.WireFuzz.cstring;
import static io.pgsplit.proxy.fuzz.WireFuzz.int16;
import static io.pgsplit.proxy.fuzz.WireFuzz.int32;
import static io.pgsplit.proxy.fuzz.WireFuzz.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.pgsplit.proxy.ProxyContext;
import io.pgsplit.proxy.TestContexts;
import io.pgsplit.proxy.backend.BackendKey;
import io.pgsplit.proxy.frontdoor.ClientIdleTimeout;
import io.pgsplit.proxy.fuzz.LogCapture;
import io.pgsplit.proxy.fuzz.WireFuzz;
import io.pgsplit.proxy.session.ClientSession;
import io.pgsplit.testsupport.NettyLeakCheckExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The frontend message decoder — an authenticated session's framing and segment scanner, with
 * routing behind it — fed random, truncated, oversized and bit-flipped message streams in random
 * pieces. No server is known here, so every request that gets routed is refused with an error, which
 * exercises the session's error paths; a frame it cannot accept ends the session with FATAL 08P01.
 * Every case must end with the connection closed (by that FATAL, a Terminate, or client_idle_timeout
 * once the session is idle): an exception thrown out of the session, a session that never becomes
 * idle again (a hang) or a leaked buffer fails it.
 */
class FrontendFuzzTest {
    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final List<String> SQL = List.of("SELECT 1", "select * from t where id = 42", "BEGIN", "BEGIN READ ONLY",
            "COMMIT", "ROLLBACK", "SET search_path = x", "RESET ALL", "INSERT INTO t VALUES (1)", "SELECT * FROM t FOR UPDATE",
            "SHOW pgsplit.consistency", "SET pgsplit.consistency = 'eventual'", "SET pgsplit.min_lsn = '0/1'",
            "COPY t FROM STDIN", "COPY t TO STDOUT", "PREPARE p AS SELECT 1", "EXECUTE p", "DEALLOCATE ALL", "DISCARD ALL",
            "LISTEN c", "SELECT nextval('s')", "/* pgsplit:primary */ SELECT 1", "SELECT 1; SELECT 2", "", ";",
            "SELECT $$unterminated", "DECLARE c CURSOR WITH HOLD FOR SELECT 1");
    private static ProxyContext context;
    private static LogCapture errors;

    @BeforeContainer
    static void start() throws Exception {
        context = TestContexts.fromYaml("""
                listen: 127.0.0.1:6432
                servers:
                  - { name: pg1, host: 127.0.0.1, port: 15432 }
                users:
                  - { name: app, password: s3cret }
                limits: { max_message_size: 8kB }
                """);
        errors = LogCapture.of(ClientSession.class, StartupHandler.class);
    }

    @AfterContainer
    static void stop() throws InterruptedException {
        errors.close();
        context.health().close();
        assertThat(NettyLeakCheckExtension.collectLeaks()).isEmpty();
    }

    @Property
    void everyMessageStreamEndsInACleanErrorOrClose(@ForAll("messageStreams") byte[] stream, @ForAll("cuts") List<Double> cuts) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        // The real handler: a failure inside the session is logged at WARN, which the case counts as an error.
        ClientSessionHandler handler = new ClientSessionHandler(channel);
        ClientSession session = new ClientSession(context, handler, channel.eventLoop(), "app",
                Map.of("user", "app", "database", "app"), new BackendKey(1, 2));
        handler.bind(session.machine());
        channel.pipeline().addLast(new ClientIdleTimeout(session::isIdle, session::closeIdle, IDLE, context.frontDoor().refusals()),
                handler);
        try {
            WireFuzz.feed(channel, stream, cuts);
            channel.runPendingTasks(); // classifications finish on the loop
            channel.advanceTimeBy(IDLE.toMillis() + 1, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();

            assertThat(channel.isOpen()).as("closed, or idle and then closed by client_idle_timeout").isFalse();
            WireFuzz.assertCleanOutput(channel, false);
            channel.checkException();
            assertThat(errors.drain()).as("unexpected exceptions").isEmpty();
        } finally {
            session.close();
            channel.finishAndReleaseAll();
        }
    }

    /** Found by this fuzzer: a FunctionCall in the group of a pgsplit command made the command reply throw. */
    @Example
    void aFunctionCallBesideAPgsplitCommandIsRoutedNotAnsweredAsOne() {
        byte[] parse = message('P', concat(cstring(""), cstring("SHOW pgsplit.consistency"), int16(0)));
        everyMessageStreamEndsInACleanErrorOrClose(concat(parse, message('F', new byte[0])), List.of());
    }

    @Provide
    Arbitrary<List<Double>> cuts() {
        return WireFuzz.cuts();
    }

    @Provide
    Arbitrary<byte[]> messageStreams() {
        Arbitrary<String> sql = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of(SQL)), Tuple.of(1, WireFuzz.text()));
        Arbitrary<String> name = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("", "s1", "s2", "p")), Tuple.of(1, WireFuzz.text()));
        Arbitrary<byte[]> query = sql.map(text -> message('Q', cstring(text)));
        Arbitrary<byte[]> parse = Combinators.combine(name, sql, Arbitraries.integers().between(-1, 3))
                .as((statement, text, types) -> message('P', concat(cstring(statement), cstring(text), int16(types),
                        types > 0 ? int32(23) : new byte[0])));
        Arbitrary<byte[]> bind = Combinators.combine(name, name, Arbitraries.integers().between(-1, 2))
                .as((portal, statement, params) -> message('B', concat(cstring(portal), cstring(statement), int16(0), int16(params),
                        params > 0 ? concat(int32(1), new byte[] {'1'}) : new byte[0], int16(0))));
        Arbitrary<byte[]> describeOrClose = Combinators.combine(Arbitraries.of('D', 'C'), Arbitraries.of('S', 'P', 'X'), name)
                .as((type, kind, target) -> message(type, concat(new byte[] {(byte) (char) kind}, cstring(target))));
        Arbitrary<byte[]> execute = Combinators.combine(name, Arbitraries.integers().between(-1, 5))
                .as((portal, rows) -> message('E', concat(cstring(portal), int32(rows))));
        Arbitrary<byte[]> control = Arbitraries.of(message('S', new byte[0]), message('H', new byte[0]), message('c', new byte[0]),
                message('f', cstring("client gave up")), message('X', new byte[0]), message('d', new byte[] {'1', '\n'}));
        Arbitrary<byte[]> functionCall = WireFuzz.randomBytes(16).map(body -> message('F', body));
        return WireFuzz.damagedStream(Arbitraries.frequencyOf(Tuple.of(5, query), Tuple.of(3, parse), Tuple.of(3, bind),
                Tuple.of(2, describeOrClose), Tuple.of(2, execute), Tuple.of(4, control), Tuple.of(1, functionCall),
                Tuple.of(1, WireFuzz.anyMessage())), 8);
    }
}
