package io.pgsplit.proxy.admin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;

/** HTTP/1.1 with keep-alive (Prometheus and browsers reuse connections); every request must fit in 64 KiB. */
final class AdminChannelInitializer extends ChannelInitializer<Channel> {
    /** Admin requests carry no body worth the name; the aggregator answers 413 to anything larger. */
    static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final AdminRequestHandler handler;
    private final ChannelGroup connections;

    /** @param connections every open admin connection, so that closing the listener can close them */
    AdminChannelInitializer(AdminRequestHandler handler, ChannelGroup connections) {
        this.handler = handler;
        this.connections = connections;
    }

    @Override
    protected void initChannel(Channel channel) {
        connections.add(channel);
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast("http", new HttpServerCodec());
        pipeline.addLast("keep-alive", new HttpServerKeepAliveHandler());
        pipeline.addLast("aggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES));
        pipeline.addLast("admin", handler);
    }
}
