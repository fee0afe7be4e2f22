package io.pgsplit.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pgsplit.health.ClusterView;
import io.pgsplit.health.Role;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.health.ServerHealth;
import io.pgsplit.health.Topology;
import io.pgsplit.proxy.BenchContexts;
import io.pgsplit.proxy.ProxyContext;
import io.pgsplit.proxy.backend.EmbeddedBackends;
import io.pgsplit.proxy.server.EmbeddedClients;
import io.pgsplit.proxy.session.EmbeddedSessions;
import io.pgsplit.proxy.session.SessionMachine;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The proxy's hot path in-process: a cached read ({@code SELECT 1}) in on the client's channel, through the real
 * ClientSessionHandler, session machine and the real pools (PooledConnectionSource, ServerPools), out to an idle
 * replica connection behind its real BackendHandler, and the server's reply back out of the client's channel. All
 * channels are EmbeddedChannels on one EmbeddedEventLoop, the benchmark thread, so what is measured is the proxy's
 * own work per query, without sockets or loop wake-ups. Run with {@code -prof gc} for bytes allocated per round trip (bench/jmh.sh).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SessionRoundTripBenchmark {
    private static final String YAML = """
            listen: 127.0.0.1:0
            servers:
              - {name: pg1, host: 127.0.0.1, port: 5432}
              - {name: pg2, host: 127.0.0.1, port: 5433}
            users:
              - {name: app, password: app}
            """;
    private static final Map<String, String> STARTUP = Map.of("user", "app", "database", "app");
    private static final int SETTLING_ROUNDS = 5;

    @Param({"SIMPLE", "EXTENDED", "PREPARED"})
    public QueryModeMessages mode;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final Map<String, EmbeddedChannel> servers = new LinkedHashMap<>();
    private ProxyContext context;
    private SessionMachine machine;
    private EmbeddedChannel client;
    private EmbeddedChannel replica;
    private ByteBuf request;
    private ByteBuf serverRequest;
    private ByteBuf reply;

    @Setup
    public void setUp() throws Exception {
        AtomicReference<EmbeddedChannel> clientChannel = new AtomicReference<>();
        context = BenchContexts.fromYaml(YAML, (loop, key) -> {
            EmbeddedChannel channel = new EmbeddedChannel(false, true);
            if (servers.put(key.server().name(), channel) != null) {
                throw new IllegalStateException("a second connection to " + key.server().name() + ": the pool lent none idle");
            }
            return CompletableFuture.completedFuture(EmbeddedBackends.started(key.server().name(), channel,
                    Map.of("user", key.user(), "database", key.database()), loop));
        });
        client = EmbeddedClients.open(io -> machine = EmbeddedSessions.pooled(context, new FixedCluster(), io,
                clientChannel.get().eventLoop(), "app", STARTUP), clientChannel::set);
        machine.openFirstServer(STARTUP).join();
        client.runPendingTasks();
        request = mode.request(alloc);
        serverRequest = mode.serverRequest(alloc);
        reply = mode.reply(alloc);
        scriptedRound(mode.prelude(alloc));
        for (int i = 0; i < SETTLING_ROUNDS; i++) {
            scriptedRound(request.retainedDuplicate());
        }
        replica = servers.get("pg2");
        for (int i = 0; i < 3; i++) {
            checkedRound();
        }
    }

    /** One round trip; the bytes that crossed both channels, so that nothing is optimised away. */
    @Benchmark
    public int roundTrip() {
        client.writeInbound(request.retainedDuplicate());
        int toServer = drain(replica, null);
        replica.writeInbound(reply.retainedDuplicate());
        client.runPendingTasks(); // the servers' channels share the client's loop: their tasks queue there
        return toServer + drain(client, null);
    }

    @TearDown
    public void tearDown() {
        machine.close();
        client.finishAndReleaseAll();
        servers.values().forEach(EmbeddedChannel::finishAndReleaseAll);
        request.release();
        serverRequest.release();
        reply.release();
        context.health().close();
        context.metrics().close();
    }

    /** The client sends {@code sent}; every server that got something answers it as a server would. */
    private void scriptedRound(ByteBuf sent) {
        client.writeInbound(sent);
        for (EmbeddedChannel server : servers.values()) {
            CompositeByteBuf received = alloc.compositeBuffer();
            drain(server, received);
            if (received.isReadable()) {
                server.writeInbound(ScriptedServer.answer(received, alloc));
                client.runPendingTasks();
            }
            received.release();
        }
        drain(client, null);
    }

    /** A round trip as {@link #roundTrip} makes it, checked: the idle replica got the request (renamed), the client the reply. */
    private void checkedRound() {
        client.writeInbound(request.retainedDuplicate());
        CompositeByteBuf toServer = alloc.compositeBuffer();
        CompositeByteBuf toClient = alloc.compositeBuffer();
        try {
            drain(replica, toServer);
            for (Map.Entry<String, EmbeddedChannel> server : servers.entrySet()) {
                if (server.getValue() != replica && server.getValue().outboundMessages().size() > 0) {
                    throw new IllegalStateException(mode + ": the cached read went to " + server.getKey());
                }
            }
            replica.writeInbound(reply.retainedDuplicate());
            client.runPendingTasks();
            drain(client, toClient);
            expect("the replica", toServer, serverRequest);
            expect("the client", toClient, reply);
        } finally {
            toServer.release();
            toClient.release();
        }
    }

    private void expect(String who, ByteBuf got, ByteBuf wanted) {
        if (!ByteBufUtil.equals(got, wanted)) {
            throw new IllegalStateException(mode + ": " + who + " got " + ByteBufUtil.hexDump(got) + ", not "
                    + ByteBufUtil.hexDump(wanted));
        }
    }

    /** Takes everything written to {@code channel}'s peer; into {@code into} when given, else released. */
    private static int drain(EmbeddedChannel channel, CompositeByteBuf into) {
        int bytes = 0;
        ByteBuf written;
        while ((written = channel.readOutbound()) != null) {
            bytes += written.readableBytes();
            if (into != null) {
                into.addComponent(true, written);
            } else {
                written.release();
            }
        }
        return bytes;
    }

    /** pg1 the primary, pg2 a replica, both up and never changing. */
    private static final class FixedCluster implements ClusterView {
        private final Topology topology = new Topology(1, List.of(server("pg1", Role.PRIMARY, 5432),
                server("pg2", Role.REPLICA, 5433)), false);

        private static ServerHealth server(String name, Role role, int port) {
            return new ServerHealth(new ServerAddress(name, "127.0.0.1", port), true, role, 0, 0, 0, 1, Instant.EPOCH, null);
        }

        @Override
        public Topology topology() {
            return topology;
        }

        @Override
        public long replayLsn(String serverName) {
            return -1;
        }

        @Override
        public CompletableFuture<Void> refreshReplayPositions() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Topology> refreshNow() {
            return CompletableFuture.completedFuture(topology);
        }
    }
}
