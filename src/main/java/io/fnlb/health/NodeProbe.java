package io.fnlb.health;

import io.fnlb.nodes.NodeAddress;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Health checks of one node over one kept-alive HTTP/1.1 connection, one check at a time.
 *
 * <p>Confined to the health event loop: every method must be called on it, and every callback
 * runs on it, so it needs no lock. A check sends its steps in order on the connection, opening
 * one when there is none (or the node's address changed), and completes with a result within
 * the timeout, whatever the node does; on timeout the connection is closed, since a late answer
 * would otherwise be read as the answer to the next request.
 *
 * <p>A kept-alive connection may be closed by the node just as a request is sent on it; like
 * Go's HTTP client, the probe then resends once on a new connection, but only when no byte of
 * an answer arrived, so an idle-timeout race is not reported as a failed node.
 */
final class NodeProbe {

    private final NodeAddress node;
    private final Bootstrap bootstrap;
    private final EventLoop loop;
    private final List<CheckStep> steps;
    private final Duration timeout;

    private Channel channel;
    private Check check;
    private boolean closed;

    NodeProbe(NodeAddress node, Bootstrap bootstrap, EventLoop loop, List<CheckStep> steps, Duration timeout) {
        this.node = node;
        this.loop = loop;
        this.steps = steps;
        this.timeout = timeout;
        this.bootstrap = bootstrap.handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new ResponseReader());
            }
        });
    }

    /** The check in flight, or null when none is. */
    CompletableFuture<CheckResult> inFlight() {
        return check == null ? null : check.result;
    }

    /**
     * Starts a check against {@code target}, a resolved address of the node.
     *
     * @return the check's result, completed within the timeout; null when a check is already in
     *     flight (checks of one node never overlap)
     */
    CompletableFuture<CheckResult> start(InetSocketAddress target) {
        assert loop.inEventLoop();
        if (check != null) {
            return null;
        }
        if (closed) {
            return CompletableFuture.completedFuture(CheckResult.fail("health checking of " + node + " stopped"));
        }
        Check c = new Check(target);
        check = c;
        c.deadline = loop.schedule(() -> expire(c), timeout.toNanos(), TimeUnit.NANOSECONDS);
        send(c);
        return c.result;
    }

    /** Ends any check in flight and closes the connection; later checks fail at once. */
    void close() {
        assert loop.inEventLoop();
        closed = true;
        if (check != null) {
            finish(check, CheckResult.fail("health checking of " + node + " stopped"));
        }
        closeChannel();
    }

    private void send(Check c) {
        Channel ch = channel;
        if (ch != null && ch.isActive() && c.target.equals(ch.remoteAddress())) {
            write(c, ch, true);
            return;
        }
        closeChannel();
        ChannelFuture connecting = bootstrap.connect(c.target);
        channel = connecting.channel();
        connecting.addListener((ChannelFuture f) -> {
            if (check != c || channel != f.channel()) {
                return;
            }
            if (f.isSuccess()) {
                write(c, f.channel(), false);
            } else {
                channel = null;
                finish(c, CheckResult.fail(connectFailure(f.cause())));
            }
        });
    }

    private void write(Check c, Channel ch, boolean reused) {
        c.reused = reused;
        c.answering = false;
        c.status = 0;
        c.body.reset();
        c.bodyTooLarge = false;
        c.malformed = false;
        c.ioError = null;
        FullHttpRequest request = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1, HttpMethod.GET, c.step().path(), Unpooled.EMPTY_BUFFER);
        request.headers()
                .set(HttpHeaderNames.HOST, node.toString())
                .set(HttpHeaderNames.USER_AGENT, "fnlb-health")
                .set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CONTENT_LENGTH, 0);
        // A failed write closes the channel; channelInactive then decides between resend and failure.
        ch.writeAndFlush(request).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    private void onResponse(Channel ch, HttpResponse response) {
        Check c = check;
        if (c == null || ch != channel) {
            ch.close();
            return;
        }
        c.answering = true;
        if (response.decoderResult().isFailure()) {
            c.malformed = true;
            ch.close();
            return;
        }
        c.status = response.status().code();
        c.keepAlive = HttpUtil.isKeepAlive(response);
    }

    private void onContent(Channel ch, HttpContent content) {
        Check c = check;
        if (c == null || ch != channel || !c.answering) {
            return;
        }
        if (content.decoderResult().isFailure()) {
            c.malformed = true;
            ch.close();
            return;
        }
        if (c.step().readsBody() && !c.bodyTooLarge) {
            int readable = content.content().readableBytes();
            if (c.body.size() + readable > CheckStep.MAX_VERSION_BODY) {
                c.bodyTooLarge = true;
            } else {
                c.body.writeBytes(ByteBufUtil.getBytes(content.content()));
            }
        }
        if (content instanceof LastHttpContent) {
            answered(c, ch);
        }
    }

    private void answered(Check c, Channel ch) {
        if (!c.keepAlive) {
            channel = null;
            ch.close();
        }
        CheckResult result = c.bodyTooLarge
                ? CheckResult.fail("GET " + c.step().path() + " answered more than "
                        + CheckStep.MAX_VERSION_BODY + " bytes")
                : c.step().judge(c.status, c.body.toByteArray());
        if (!result.passed() || c.stepIndex == steps.size() - 1) {
            finish(c, result);
            return;
        }
        c.stepIndex++;
        c.retried = false;
        send(c);
    }

    private void onClosed(Channel ch) {
        if (ch != channel) {
            return;
        }
        channel = null;
        Check c = check;
        if (c == null) {
            return;
        }
        if (c.reused && !c.answering && !c.retried) {
            c.retried = true;
            send(c);
            return;
        }
        String request = "GET " + c.step().path();
        String reason = c.malformed ? "malformed HTTP answer to " + request
                : (c.ioError != null ? c.ioError : "connection closed")
                        + (c.answering ? " during the answer to " : " before an answer to ") + request;
        finish(c, CheckResult.fail(reason));
    }

    private void onError(Channel ch, Throwable cause) {
        Check c = check;
        if (c != null && ch == channel && c.ioError == null) {
            c.ioError = ioFailure(cause);
        }
        ch.close();
    }

    private void expire(Check c) {
        if (check != c) {
            return;
        }
        closeChannel();
        finish(c, CheckResult.fail("no answer within " + timeout.toMillis() + " ms"));
    }

    private void finish(Check c, CheckResult result) {
        if (check != c) {
            return;
        }
        check = null;
        c.deadline.cancel(false);
        c.result.complete(result);
    }

    private void closeChannel() {
        Channel ch = channel;
        channel = null;
        if (ch != null) {
            ch.close();
        }
    }

    private static String ioFailure(Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        if (message.toLowerCase(Locale.ROOT).contains("connection reset")) {
            return "connection reset";
        }
        return "I/O error (" + message + ")";
    }

    private static String connectFailure(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return "connect timed out";
        }
        String message = String.valueOf(cause.getMessage());
        if (message.toLowerCase(Locale.ROOT).contains("connection refused")) {
            return "connection refused";
        }
        return "cannot connect: " + message;
    }

    /** The state of the one check in flight. */
    private final class Check {
        final InetSocketAddress target;
        final CompletableFuture<CheckResult> result = new CompletableFuture<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        ScheduledFuture<?> deadline;
        int stepIndex;
        boolean reused;
        boolean retried;
        boolean answering;
        boolean keepAlive;
        boolean bodyTooLarge;
        boolean malformed;
        int status;
        String ioError;

        Check(InetSocketAddress target) {
            this.target = target;
        }

        CheckStep step() {
            return steps.get(stepIndex);
        }
    }

    /** Hands a connection's events to the probe. */
    private final class ResponseReader extends SimpleChannelInboundHandler<HttpObject> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpResponse response) {
                onResponse(ctx.channel(), response);
            }
            if (msg instanceof HttpContent content) {
                onContent(ctx.channel(), content);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            onClosed(ctx.channel());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            onError(ctx.channel(), cause);
        }
    }
}
