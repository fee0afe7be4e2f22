package io.pgsplit.proxy.server;

import static io.pgsplit.proxy.fuzz.WireFuzz.concat;
import static io.pgsplit.proxy.fuzz.WireFuzz.cstring;
import static io.pgsplit.proxy.fuzz.WireFuzz.int32;
import static io.pgsplit.proxy.fuzz.WireFuzz.message;
import static io.pgsplit.proxy.fuzz.WireFuzz.packet;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.pgsplit.protocol.startup.CancelRequest;
import io.pgsplit.protocol.startup.GssEncRequest;
import io.pgsplit.protocol.startup.SslRequest;
import io.pgsplit.proxy.ProxyContext;
import io.pgsplit.proxy.TestContexts;
import io.pgsplit.proxy.fuzz.LogCapture;
import io.pgsplit.proxy.fuzz.WireFuzz;
import io.pgsplit.testsupport.NettyLeakCheckExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The startup decoder (StartupHandler: SSL/GSS requests, CancelRequest, StartupMessage, password
 * messages) fed random, truncated, oversized and bit-flipped streams in random pieces. Every case must
 * end with the connection closed — after a complete FATAL ErrorResponse, or silently where PostgreSQL
 * is silent too (CancelRequest) — by the time the login timeout has passed: no exception, no hang, no
 * leak. Cases per run: jqwik.tries.default (small locally, 100,000 in the CI fuzz profile).
 */
class StartupFuzzTest {
    private static final int SCRAM_USERS = 3;
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
                  - { name: ops, password: 0ps, admin: true }
                limits: { login_timeout: 1s, max_pending_logins: 1000000 }
                """);
        errors = LogCapture.of(StartupHandler.class);
    }

    @AfterContainer
    static void stop() throws InterruptedException {
        errors.close();
        context.health().close();
        assertThat(NettyLeakCheckExtension.collectLeaks()).isEmpty(); // jqwik runs no Jupiter extensions
    }

    @Property
    void everyStartupStreamEndsInACleanErrorOrCloseWithinTheLoginTimeout(
            @ForAll("startupStreams") byte[] stream, @ForAll("cuts") List<Double> cuts) {
        EmbeddedChannel channel = new EmbeddedChannel(new StartupHandler(context));
        try {
            channel.freezeTime();
            WireFuzz.feed(channel, stream, cuts);
            channel.runPendingTasks();
            channel.advanceTimeBy(3, TimeUnit.SECONDS); // past login_timeout and any failed-login delay
            channel.runScheduledPendingTasks();

            assertThat(channel.isOpen()).as("closed once the login timeout passed").isFalse();
            WireFuzz.assertCleanOutput(channel, true);
            channel.checkException();
            assertThat(errors.drain()).as("unexpected exceptions").isEmpty();
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Provide
    Arbitrary<List<Double>> cuts() {
        return WireFuzz.cuts();
    }

    @Provide
    Arbitrary<byte[]> startupStreams() {
        return WireFuzz.damagedStream(Arbitraries.frequencyOf(
                Tuple.of(3, startupMessage()),
                Tuple.of(4, passwordMessage()),
                Tuple.of(1, Arbitraries.of(packet(SslRequest.CODE, new byte[0]), packet(GssEncRequest.CODE, new byte[0]))),
                Tuple.of(1, Combinators.combine(Arbitraries.integers(), Arbitraries.integers())
                        .as((pid, key) -> packet(CancelRequest.CODE, concat(int32(pid), int32(key))))),
                Tuple.of(1, Combinators.combine(Arbitraries.integers(), WireFuzz.randomBytes(24)).as(WireFuzz::packet)),
                Tuple.of(1, WireFuzz.anyMessage())), 5);
    }

    private static Arbitrary<byte[]> startupMessage() {
        Arbitrary<Integer> version = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(3 << 16)),
                Tuple.of(1, Arbitraries.of(3 << 16 | 2, 4 << 16, 2 << 16)), Tuple.of(1, Arbitraries.integers()));
        Arbitrary<String> name = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("user", "database", "options", "application_name", "replication", "_pq_.x")),
                Tuple.of(1, WireFuzz.text()));
        Arbitrary<String> value = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("app", "ops", "nobody", "", "true", "database", "-c search_path=x")),
                Tuple.of(1, WireFuzz.text()));
        Arbitrary<byte[]> pair = Combinators.combine(name, value).as((n, v) -> concat(cstring(n), cstring(v)));
        Arbitrary<byte[]> userFirst = Arbitraries.integers().between(0, SCRAM_USERS - 1)
                .map(i -> concat(cstring("user"), cstring(List.of("app", "ops", "nobody").get(i))));
        return Combinators.combine(version, userFirst, pair.list().ofMaxSize(3))
                .as((v, user, pairs) -> packet(v, concat(user, concat(pairs.toArray(byte[][]::new)), new byte[] {0})));
    }

    /** SASLInitialResponse, SASLResponse and plain password bodies, SCRAM-shaped often enough to get far. */
    private static Arbitrary<byte[]> passwordMessage() {
        Arbitrary<String> nonce = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(30)),
                Tuple.of(1, Arbitraries.integers().between(1000, 3000).map("r"::repeat)), Tuple.of(1, WireFuzz.text()));
        Arbitrary<String> gs2 = Arbitraries.of("n,,", "y,,", "p=tls-server-end-point,,", "n,a=x,", "", "x");
        Arbitrary<byte[]> initial = Combinators.combine(Arbitraries.of("SCRAM-SHA-256", "SCRAM-SHA-256-PLUS", "PLAIN", ""), gs2, nonce,
                        Arbitraries.of(-1, 0, 1, 7, 10_000))
                .as((mechanism, header, r, declared) -> {
                    byte[] data = (header + "n=,r=" + r).getBytes(StandardCharsets.ISO_8859_1);
                    int length = declared == 1 ? data.length : declared; // mostly honest, sometimes lying
                    return message('p', concat(cstring(mechanism), int32(length), data));
                });
        Arbitrary<byte[]> response = Combinators.combine(nonce, Arbitraries.strings().withChars("ABCabc+/=09").ofMaxLength(48))
                .as((r, proof) -> message('p', ("c=biws,r=" + r + ",p=" + proof).getBytes(StandardCharsets.ISO_8859_1)));
        Arbitrary<byte[]> password = WireFuzz.text().map(text -> message('p', cstring(text)));
        return Arbitraries.oneOf(initial, response, password, WireFuzz.randomBytes(40).map(body -> message('p', body)));
    }
}
