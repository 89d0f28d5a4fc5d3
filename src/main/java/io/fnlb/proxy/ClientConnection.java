package io.fnlb.proxy;

import io.fnlb.admin.AdminApi;
import io.fnlb.admin.JsonResponses;
import io.fnlb.nodes.NodeSet;
import io.fnlb.routing.RouteKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: decodes requests, answers admin paths, and runs one {@link Exchange}
 * at a time for everything else.
 *
 * <p>HTTP/1.1 pipelining is honoured by parking requests that arrive while a response is in
 * progress (reading pauses meanwhile), so responses go out in request order.
 *
 * <p>Slow clients are bounded by {@link ClientTimeouts}, which this connection keeps informed of
 * each request's progress and of every pause in reading.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter implements ClientTimeouts.Expiry {

    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

    private final ProxyContext context;
    private final ProxyContext.PortRole role;
    private final BackendPools pools;
    private final ClientTimeouts timeouts;

    private ChannelHandlerContext ctx;
    /** The codec's context: proxied responses are written from there, past its encoder. */
    private ChannelHandlerContext codecCtx;
    private ClientCodec codec;
    private BackendPool pool;
    private String clientIp;

    private Exchange exchange;
    private ArrayDeque<Object> parked;
    private boolean discarding;
    private boolean closing;
    private boolean lastKeepAlive;

    private HttpRequest adminHead;
    private CompositeByteBuf adminBody;
    private boolean adminBusy;

    ClientConnection(ProxyContext context, ProxyContext.PortRole role, BackendPools pools) {
        this.context = context;
        this.role = role;
        this.pools = pools;
        this.timeouts = new ClientTimeouts(context.limits(), this);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.codecCtx = ctx.pipeline().context(ClientCodec.class);
        this.codec = (ClientCodec) codecCtx.handler();
        this.pool = pools.forLoop(ctx.channel().eventLoop());
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        this.clientIp = remote == null ? "unknown" : remote.getAddress().getHostAddress();
        timeouts.start(ctx.executor());
    }

    // ---- inbound ------------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            timeouts.headReceived();
        }
        if (closing) {
            ReferenceCountUtil.release(msg);
        } else if ((parked != null && !parked.isEmpty()) || !tryProcess(msg)) {
            park(msg);
        }
    }

    /** Handles {@code msg} now, or returns false when it must wait for the current response. */
    private boolean tryProcess(Object msg) {
        if (msg instanceof HttpContent content && !(msg instanceof HttpRequest)) {
            boolean exchangeBody = exchange != null && !exchange.requestComplete();
            if (exchangeBody || adminHead != null || discarding) {
                if (content.decoderResult().isFailure()) {
                    onMalformedBody(content);
                    return true;
                }
                if (content instanceof LastHttpContent) {
                    timeouts.requestComplete();
                } else {
                    timeouts.bodyProgress();
                }
            }
            if (exchangeBody) {
                boolean last = content instanceof LastHttpContent;
                exchange.onRequestContent(content);
                if (last && !closing && !hasParked()) {
                    // Read on while the response is awaited, so a client that leaves is noticed and
                    // its node request cancelled; a pipelined request that arrives is parked.
                    reading(true);
                }
                return true;
            }
            if (adminHead != null) {
                onAdminContent(content);
                return true;
            }
            if (discarding) {
                discarding = !(content instanceof LastHttpContent);
                content.release();
                return true;
            }
        }
        if (exchange != null || adminBusy) {
            return false;
        }
        dispatch(msg);
        return true;
    }

    private void park(Object msg) {
        if (parked == null) {
            parked = new ArrayDeque<>(4);
        }
        parked.add(msg);
        reading(false);
    }

    /**
     * The chunked framing of a request body broke mid-way. Nothing after it can be trusted, and
     * the part already streamed to a node must not end cleanly there: close, which also closes
     * the node connection, so the node sees a cut body rather than a complete one.
     */
    private void onMalformedBody(HttpContent content) {
        String reason = Exchange.describe(content.decoderResult().cause());
        content.release();
        if (adminHead != null) {
            releaseAdmin();
            lastKeepAlive = false;
            respond(JsonResponses.message(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST, "malformed request body: " + reason));
            return;
        }
        log.debug("client {} sent a malformed request body: {}", clientIp, reason);
        closeNow();
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest request) {
            onRequest(request);
            if (msg instanceof LastHttpContent) {
                timeouts.requestComplete();
            }
        } else {
            // Body bytes of a request we already answered and closed on, or stray content.
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            ReferenceCountUtil.release(request);
            rejectMalformed(request.decoderResult().cause());
            return;
        }
        timeouts.requestStarted(HttpUtil.is100ContinueExpected(request));
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        lastKeepAlive = keepAlive && !context.draining();
        String key;
        try {
            key = RouteKey.of(request.uri());
        } catch (IllegalArgumentException e) {
            answerAndDiscard(request, HttpResponseStatus.BAD_REQUEST, "malformed request path: " + e.getMessage());
            return;
        }
        AdminApi admin = role.admin();
        if (admin != null && (admin.owns(key) || !role.proxies())) {
            startAdmin(request);
            return;
        }
        NodeSet nodes = context.healthy().current();
        if (nodes.isEmpty()) {
            answerAndDiscard(request, HttpResponseStatus.SERVICE_UNAVAILABLE, "no nodes available");
            return;
        }
        int index = context.picker().pick(nodes, key);
        exchange = new Exchange(this, context, nodes.get(index), key, request, keepAlive);
        context.inFlight().incrementAndGet();
        exchange.start(request, clientIp, pool, nodes.socketAddress(index));
        if (request instanceof LastHttpContent last) {
            exchange.onRequestContent(last);
        }
    }

    private void rejectMalformed(Throwable cause) {
        HttpResponseStatus status;
        String message;
        if (cause instanceof TooLongHttpLineException) {
            status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
            message = "request line too long";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            message = "request headers too large";
        } else if (cause instanceof TooLongFrameException) {
            status = HttpResponseStatus.BAD_REQUEST;
            message = "request too large";
        } else {
            status = HttpResponseStatus.BAD_REQUEST;
            message = "malformed request: " + Exchange.describe(cause);
        }
        // The decoder stops at a bad message; nothing after it on this connection can be trusted.
        lastKeepAlive = false;
        respond(JsonResponses.message(HttpVersion.HTTP_1_1, status, message));
    }

    /** Answers a request ourselves and drops its body, if any, as it arrives. */
    private void answerAndDiscard(HttpRequest request, HttpResponseStatus status, String message) {
        if (HttpUtil.is100ContinueExpected(request)) {
            // The client may or may not send the body now; the framing is unknowable, so close.
            lastKeepAlive = false;
        }
        discarding = !(request instanceof LastHttpContent);
        ReferenceCountUtil.release(request);
        respond(JsonResponses.message(HttpVersion.HTTP_1_1, status, message));
    }

    private void respond(FullHttpResponse response) {
        boolean keepAlive = lastKeepAlive && !context.draining();
        response.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
            timeouts.responseDone();
        } else {
            closing = true;
            releaseParked();
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    // ---- admin --------------------------------------------------------------------------

    private void startAdmin(HttpRequest request) {
        adminHead = request;
        adminBody = ctx.alloc().compositeBuffer();
        if (HttpUtil.is100ContinueExpected(request)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE), ctx.voidPromise());
            timeouts.continueSent();
        }
        if (request instanceof HttpContent content) {
            onAdminContent(content);
        }
    }

    private void onAdminContent(HttpContent content) {
        int limit = context.limits().maxAdminBody();
        if (adminBody.readableBytes() + content.content().readableBytes() > limit) {
            content.release();
            releaseAdmin();
            lastKeepAlive = false;
            respond(JsonResponses.message(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "request body larger than " + limit + " bytes"));
            return;
        }
        adminBody.addComponent(true, content.content().retain());
        boolean last = content instanceof LastHttpContent;
        content.release();
        if (!last) {
            return;
        }
        HttpRequest head = adminHead;
        FullHttpRequest full = new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
                adminBody, head.headers(), ((LastHttpContent) content).trailingHeaders());
        adminHead = null;
        adminBody = null;
        adminBusy = true;
        role.admin().handle(full).whenComplete((response, error) -> {
            full.release();
            ctx.executor().execute(() -> onAdminResponse(response, error));
        });
    }

    private void onAdminResponse(FullHttpResponse response, Throwable error) {
        adminBusy = false;
        if (!ctx.channel().isActive()) {
            ReferenceCountUtil.release(response);
            return;
        }
        FullHttpResponse answer = response;
        if (error != null) {
            log.error("admin request failed", error);
            answer = JsonResponses.message(HttpVersion.HTTP_1_1, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + Exchange.describe(error));
        }
        respond(answer);
        resumeParked();
    }

    private void releaseAdmin() {
        adminHead = null;
        if (adminBody != null) {
            adminBody.release();
            adminBody = null;
        }
    }

    // ---- called by Exchange -------------------------------------------------------------

    BackendPool pool() {
        return pool;
    }

    /**
     * The exchange pauses reading to hold back a request body, and resumes it. Once the request is
     * complete there is nothing to hold back, and a pause is ignored (see {@link #tryProcess}).
     */
    void setAutoRead(boolean autoRead) {
        if (autoRead ? closing || hasParked() : exchange != null && exchange.requestComplete()) {
            return;
        }
        reading(autoRead);
    }

    private boolean hasParked() {
        return parked != null && !parked.isEmpty();
    }

    /** Every pause and resume of reading goes through here, so the body clock can stop meanwhile. */
    private void reading(boolean on) {
        ctx.channel().config().setAutoRead(on);
        timeouts.readingPaused(!on);
    }

    /**
     * Writes a proxied response head, ready to send, past the codec's encoder (which never sees
     * proxied responses); {@code interim} for a 1xx, which answers no request yet.
     */
    void writeResponseHead(ByteBuf head, boolean interim) {
        // A client that held its body back for 100 Continue sends it once it has an answer.
        timeouts.continueSent();
        if (!interim) {
            codec.responseSentPastEncoder();
        }
        writeRaw(head);
    }

    /** Writes bytes of a proxied response as they are. */
    void writeRaw(ByteBuf bytes) {
        codecCtx.write(bytes, codecCtx.voidPromise());
        if (exchange != null && !ctx.channel().isWritable()) {
            exchange.afterClientWrite(false);
        }
    }

    ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    void flush() {
        ctx.flush();
    }

    void closeNow() {
        closing = true;
        releaseParked();
        ctx.close();
    }

    /** The exchange ended; {@code close} ends the client connection after what was written. */
    void exchangeDone(Exchange done, boolean close) {
        if (exchange != done) {
            return;
        }
        exchange = null;
        context.inFlight().decrementAndGet();
        if (close || context.draining()) {
            closing = true;
            releaseParked();
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        timeouts.responseDone();
        resumeParked();
    }

    /** The exchange failed before any response byte: answer for it with a JSON error. */
    void respondAfterExchange(Exchange done, HttpResponseStatus status, String message, boolean close) {
        if (exchange != done) {
            return;
        }
        exchange = null;
        context.inFlight().decrementAndGet();
        if (close) {
            lastKeepAlive = false;
        }
        respond(JsonResponses.message(HttpVersion.HTTP_1_1, status, message));
        if (!closing) {
            resumeParked();
        }
    }

    private void resumeParked() {
        while (!closing && parked != null && !parked.isEmpty()) {
            Object msg = parked.pollFirst();
            if (!tryProcess(msg)) {
                parked.addFirst(msg);
                break;
            }
        }
        if (exchange != null) {
            // Not inside a client read burst, so channelReadComplete will not flush for us.
            exchange.flushToBackend();
            if (!closing && (parked == null || parked.isEmpty()) && exchange.wantsRequestBody()) {
                reading(true);
            }
            return;
        }
        if (!closing) {
            reading(true);
        }
    }

    private void releaseParked() {
        if (parked != null) {
            Object msg;
            while ((msg = parked.poll()) != null) {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    /**
     * Closes this connection if no request is in progress, not even one whose head is still
     * arriving (used when draining; a connection busy now closes after its response).
     */
    void closeIfIdle() {
        if (exchange == null && !adminBusy && adminHead == null && !timeouts.headArriving() && !hasParked()) {
            closeNow();
        }
    }

    // ---- timeouts -----------------------------------------------------------------------

    @Override
    public void idleExpired() {
        log.debug("closing idle client connection {}", clientIp);
        closeNow();
    }

    @Override
    public void headerExpired() {
        if (closing) {
            return;
        }
        lastKeepAlive = false;
        respond(JsonResponses.message(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT,
                "request headers not received in time"));
    }

    @Override
    public void bodyExpired() {
        log.debug("client {} stalled its request body for {}; closing", clientIp, context.limits().bodyTimeout());
        closeNow();
    }

    // ---- connection events --------------------------------------------------------------

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ClientCodec.HEAD_STARTED) {
            timeouts.headStarted();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.flushToBackend();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onClientWritabilityChanged(ctx.channel().isWritable());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        timeouts.stop();
        if (exchange != null) {
            exchange.onClientClosed();
        }
        releaseAdmin();
        releaseParked();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("client connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
