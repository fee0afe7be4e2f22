package io.pgsplit.proxy.admin;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.pgsplit.health.Topology;
import io.pgsplit.proxy.frontdoor.FrontDoorStatus;
import io.pgsplit.proxy.logging.LogSafe;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the admin endpoints. Every answer is computed from the current topology snapshot and the
 * meters, which are read without locks, so nothing here blocks the admin event loop.
 */
@Sharable
final class AdminRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(AdminRequestHandler.class);
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String JSON = "application/json";

    private volatile boolean draining;
    private final Supplier<Topology> topology;
    private final Supplier<RoutingState> routing;
    private final ProxyMetrics metrics;
    private final Supplier<ProcessStatus> process;
    private final Supplier<FrontDoorStatus> frontDoor;

    AdminRequestHandler(Supplier<Topology> topology, ProxyMetrics metrics) {
        this(topology, metrics, () -> RoutingState.NONE);
    }

    AdminRequestHandler(Supplier<Topology> topology, ProxyMetrics metrics, Supplier<RoutingState> routing) {
        this(topology, metrics, routing, () -> ProcessStatus.UNKNOWN, () -> FrontDoorStatus.UNKNOWN);
    }

    AdminRequestHandler(Supplier<Topology> topology, ProxyMetrics metrics, Supplier<RoutingState> routing,
                        Supplier<ProcessStatus> process, Supplier<FrontDoorStatus> frontDoor) {
        this.routing = routing;
        this.topology = topology;
        this.metrics = metrics;
        this.process = process;
        this.frontDoor = frontDoor;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        FullHttpResponse response;
        try {
            response = respond(ctx.alloc(), request);
        } catch (RuntimeException e) {
            log.warn("admin request {} {} failed", request.method(), LogSafe.quote(request.uri()), e);
            response = text(ctx.alloc(), HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error\n");
        }
        ctx.writeAndFlush(response);
    }

    private FullHttpResponse respond(ByteBufAllocator alloc, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            FullHttpResponse response = text(alloc, HttpResponseStatus.BAD_REQUEST, "bad request\n");
            HttpUtil.setKeepAlive(response, false); // the rest of the stream cannot be trusted
            return response;
        }
        if (!HttpMethod.GET.equals(request.method())) {
            FullHttpResponse response = text(alloc, HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET is served\n");
            response.headers().set(HttpHeaderNames.ALLOW, HttpMethod.GET.name());
            return response;
        }
        return switch (new QueryStringDecoder(request.uri()).path()) {
            case "/" -> response(alloc, HttpResponseStatus.OK, HTML, StatusPage.render(status()));
            case "/metrics" ->
                    response(alloc, HttpResponseStatus.OK, ProxyMetrics.SCRAPE_CONTENT_TYPE, metrics.scrape());
            case "/health" -> text(alloc, HttpResponseStatus.OK, "ok\n");
            case "/ready" -> ready(alloc);
            case "/status" -> response(alloc, HttpResponseStatus.OK, JSON, status().toJson());
            default -> text(alloc, HttpResponseStatus.NOT_FOUND, "not found\n");
        };
    }

    private StatusReport status() {
        return StatusReport.capture(topology.get(), metrics, routing.get(), process.get(), frontDoor.get());
    }

    /** From now on /ready says no: the proxy is shutting down and load balancers should stop sending clients. */
    void draining() {
        draining = true;
    }

    private FullHttpResponse ready(ByteBufAllocator alloc) {
        Readiness readiness = draining ? Readiness.DRAINING : Readiness.of(topology.get(), frontDoor.get());
        return readiness.ready()
                ? text(alloc, HttpResponseStatus.OK, "ready: " + readiness.reason() + "\n")
                : text(alloc, HttpResponseStatus.SERVICE_UNAVAILABLE, "not ready: " + readiness.reason() + "\n");
    }

    private static FullHttpResponse text(ByteBufAllocator alloc, HttpResponseStatus status, String body) {
        return response(alloc, status, TEXT, body);
    }

    private static FullHttpResponse response(ByteBufAllocator alloc, HttpResponseStatus status, String contentType,
                                             String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                ByteBufUtil.writeUtf8(alloc, body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        return response;
    }

    /** The idle handler's verdict: no request and no response byte for 30 s. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
