package io.pgsplit.proxy.admin;

import static io.pgsplit.proxy.metrics.TestTopologies.primary;
import static io.pgsplit.proxy.metrics.TestTopologies.topology;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.pgsplit.health.Topology;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin pipeline on the wire: raw request bytes in, raw response bytes out. */
class AdminChannelInitializerTest {
    private final ProxyMetrics metrics = new ProxyMetrics();
    private final Topology topology = topology(1, primary("pg1"));
    private final ChannelGroup connections = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new AdminChannelInitializer(new AdminRequestHandler(() -> topology, metrics), connections));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        metrics.close();
    }

    @Test
    void tracksTheConnectionUntilItCloses() {
        assertThat(connections.contains(channel)).isTrue();

        channel.close();

        assertThat(connections.isEmpty()).isTrue();
    }

    @Test
    void servesPipelinedRequestsOnOneKeptAliveConnection() {
        channel.writeInbound(ascii("GET /health HTTP/1.1\r\nHost: a\r\n\r\nGET /ready HTTP/1.1\r\nHost: a\r\n\r\n"));

        String responses = outbound();

        assertThat(responses).startsWith("HTTP/1.1 200 OK\r\n").contains("ok\n").contains("ready: primary is pg1\n");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void closesAfterAnsweringWhenTheClientAsksTo() {
        channel.writeInbound(ascii("GET /health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));

        assertThat(outbound()).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void rejectsRequestsLargerThan64KiBWith413() {
        int tooLarge = AdminChannelInitializer.MAX_REQUEST_BYTES + 1;
        channel.writeInbound(ascii("POST /health HTTP/1.1\r\nHost: a\r\nContent-Length: " + tooLarge + "\r\n\r\n"));

        assertThat(outbound()).startsWith("HTTP/1.1 413 Request Entity Too Large\r\n");
    }

    @Test
    void answersGarbageWith400AndCloses() {
        channel.writeInbound(ascii("GET /health HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n"));

        assertThat(outbound()).startsWith("HTTP/1.1 400 Bad Request\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void closesAConnectionIdleForThirtySeconds() {
        channel.writeInbound(ascii("GET /health HTTP/1.1\r\nHost: a\r\n\r\n"));
        outbound();

        channel.advanceTimeBy(29, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void holdsAtMost64ConnectionsAndClosesTheNextAtOnce() {
        List<EmbeddedChannel> held = new ArrayList<>();
        AdminChannelInitializer initializer = new AdminChannelInitializer(new AdminRequestHandler(() -> topology, metrics), connections);
        try {
            while (connections.size() < AdminChannelInitializer.MAX_CONNECTIONS) {
                held.add(new EmbeddedChannel(DefaultChannelId.newInstance(), initializer)); // a group keys channels by id
            }
            EmbeddedChannel extra = new EmbeddedChannel(DefaultChannelId.newInstance(), initializer);
            held.add(extra);

            assertThat(extra.isOpen()).isFalse();
            assertThat(connections.size()).isEqualTo(AdminChannelInitializer.MAX_CONNECTIONS);

            held.get(0).close();
            EmbeddedChannel next = new EmbeddedChannel(DefaultChannelId.newInstance(), initializer);
            held.add(next);
            assertThat(next.isOpen()).as("room again once one closed").isTrue();
        } finally {
            held.forEach(EmbeddedChannel::finishAndReleaseAll);
        }
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    private String outbound() {
        StringBuilder text = new StringBuilder();
        for (ByteBuf buffer = channel.readOutbound(); buffer != null; buffer = channel.readOutbound()) {
            text.append(buffer.toString(StandardCharsets.UTF_8));
            buffer.release();
        }
        return text.toString();
    }
}
