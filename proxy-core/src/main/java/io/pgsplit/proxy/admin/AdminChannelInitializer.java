package io.pgsplit.proxy.admin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 with keep-alive (Prometheus and browsers reuse connections); every request must fit in 64 KiB.
 * A connection idle for 30 s is closed and at most 64 are held, so neither forgotten keep-alives nor a
 * flood of silent connections can pile up descriptors on the admin listener.
 */
final class AdminChannelInitializer extends ChannelInitializer<Channel> {
    /** Admin requests carry no body worth the name; the aggregator answers 413 to anything larger. */
    static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** A few scrapers, probes and browsers need a handful each; anything beyond is not an operator. */
    static final int MAX_CONNECTIONS = 64;
    /** Neither a request nor a response byte for this long (Prometheus scrapes every 15 s or more often). */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final AdminRequestHandler handler;
    private final ChannelGroup connections;

    /** @param connections every open admin connection, so that closing the listener can close them */
    AdminChannelInitializer(AdminRequestHandler handler, ChannelGroup connections) {
        this.handler = handler;
        this.connections = connections;
    }

    @Override
    protected void initChannel(Channel channel) {
        if (connections.size() >= MAX_CONNECTIONS) {
            channel.close(); // every connection runs on the one admin loop, so the count cannot race
            return;
        }
        connections.add(channel);
        ChannelPipeline pipeline = channel.pipeline();
        // observeOutput: a large response still being written to a slow reader is not idleness
        pipeline.addLast("idle", new IdleStateHandler(true, 0, 0, IDLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        pipeline.addLast("http", new HttpServerCodec());
        pipeline.addLast("keep-alive", new HttpServerKeepAliveHandler());
        pipeline.addLast("aggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES));
        pipeline.addLast("admin", handler);
    }
}
