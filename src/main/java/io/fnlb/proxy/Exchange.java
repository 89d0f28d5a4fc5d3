package io.fnlb.proxy;

import io.fnlb.config.GoDuration;
import io.fnlb.nodes.NodeAddress;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied request: the client's request streamed to a node and the node's response
 * streamed back, on the event loop that owns both connections.
 *
 * <p>Backpressure: when the connection being written to has more pending bytes than its high
 * water mark, reading from the other connection stops ({@code autoRead} off) until it drains
 * below the low mark. Bodies therefore pass through in bounded memory, in both directions, at
 * the pace of the slower side.
 */
final class Exchange {

    private static final Logger log = LoggerFactory.getLogger(Exchange.class);
    static final AsciiString WAIT_HEADER = AsciiString.cached("xxx-fxlb-wait");

    private final ClientConnection client;
    private final ProxyContext context;
    private final NodeAddress node;
    private final String key;

    private Channel backend;
    private BackendHandler backendHandler;
    private ArrayDeque<HttpObject> pendingToBackend;

    private final boolean clientKeepAlive;
    private final boolean clientHttp10;
    private boolean requestComplete;
    private boolean interimResponse;
    private boolean responseStarted;
    private boolean backendReusable;
    private boolean closeClientAfter;
    private boolean finished;
    private long waitNanos = -1;

    Exchange(ClientConnection client, ProxyContext context, NodeAddress node, String key, HttpRequest request,
            boolean clientKeepAlive) {
        this.client = client;
        this.context = context;
        this.node = node;
        this.key = key;
        this.clientKeepAlive = clientKeepAlive;
        this.clientHttp10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
    }

    /** True once the whole request has been received from the client. */
    boolean requestComplete() {
        return requestComplete;
    }

    /** True when more request body is expected and the node connection can take it now. */
    boolean wantsRequestBody() {
        return !requestComplete && !finished && backend != null && backend.isWritable();
    }

    // ---- client → node ------------------------------------------------------------------

    /** Rewrites the request's headers for the node and sends it, connecting first if needed. */
    void start(HttpRequest request, String clientIp, BackendPool pool, InetSocketAddress address) {
        HttpHeaders headers = request.headers();
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        ForwardedHeaders.removeHopByHop(headers);
        if (chunked) {
            ForwardedHeaders.setChunked(headers);
        }
        ForwardedHeaders.addForwarded(headers, clientIp);
        if (!headers.contains(HttpHeaderNames.HOST)) {
            headers.set(HttpHeaderNames.HOST, node.toString());
        }
        // Always HTTP/1.1 to nodes, so node connections are kept alive whatever the client speaks.
        request.setProtocolVersion(HttpVersion.HTTP_1_1);

        Channel idle = pool.pollIdle(node);
        if (idle != null) {
            attach(idle);
            writeToBackend(request);
            return;
        }
        pendingToBackend = new ArrayDeque<>(4);
        pendingToBackend.add(request);
        // Hold the client's body until the node connection exists; bounded by autoRead.
        client.setAutoRead(false);
        pool.connect(node, address).addListener((ChannelFutureListener) this::onConnected);
    }

    private void onConnected(ChannelFuture future) {
        if (finished) {
            if (future.isSuccess()) {
                future.channel().close();
            }
            return;
        }
        if (!future.isSuccess()) {
            releasePending();
            String reason = describe(future.cause());
            log.warn("could not connect to node {}: {}", node, reason);
            failBeforeResponse(HttpResponseStatus.BAD_GATEWAY, "could not connect to node: " + reason);
            return;
        }
        attach(future.channel());
        ArrayDeque<HttpObject> pending = pendingToBackend;
        pendingToBackend = null;
        HttpObject msg;
        while ((msg = pending.poll()) != null) {
            backend.write(msg, backend.voidPromise());
        }
        backend.flush();
        if (backend.isWritable() && !requestComplete) {
            client.setAutoRead(true);
        } else if (requestComplete) {
            client.setAutoRead(false);
        }
    }

    private void attach(Channel ch) {
        backend = ch;
        backendHandler = (BackendHandler) ch.pipeline().get("backend");
        backendHandler.attach(this);
        ch.config().setAutoRead(true);
    }

    /** A piece of the request body from the client. */
    void onRequestContent(HttpContent content) {
        if (content instanceof LastHttpContent) {
            requestComplete = true;
        }
        if (finished) {
            content.release();
            return;
        }
        if (backend == null) {
            pendingToBackend.add(content);
            return;
        }
        writeToBackend(content);
    }

    private void writeToBackend(HttpObject msg) {
        backend.write(msg, backend.voidPromise());
        if (!backend.isWritable()) {
            client.setAutoRead(false);
        }
    }

    /** The client's read burst ended: send what it produced. */
    void flushToBackend() {
        if (backend != null && !finished) {
            backend.flush();
        }
    }

    /** The node connection drained below its low water mark: read the client again. */
    void onBackendWritabilityChanged() {
        if (backend.isWritable() && !requestComplete && !finished) {
            client.setAutoRead(true);
        }
    }

    // ---- node → client ------------------------------------------------------------------

    /** A response part from the node. */
    void onResponseObject(Object msg) {
        if (finished) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            if (response.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                log.warn("invalid response from node {}: {}", node, describe(response.decoderResult().cause()));
                closeBackend();
                if (responseStarted) {
                    abortClient();
                } else {
                    failBeforeResponse(HttpResponseStatus.BAD_GATEWAY, "invalid response from node");
                }
                return;
            }
            onResponseHead(response);
            if (msg instanceof LastHttpContent) {
                onResponseEnd();
            }
            return;
        }
        if (msg instanceof HttpContent content) {
            client.write(content);
            if (content instanceof LastHttpContent) {
                onResponseEnd();
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onResponseEnd() {
        if (interimResponse) {
            interimResponse = false;
        } else {
            complete();
        }
    }

    private void onResponseHead(HttpResponse response) {
        int code = response.status().code();
        HttpHeaders headers = response.headers();
        if (code >= 100 && code < 200 && code != 101) {
            // Interim (100 Continue, 103 Early Hints): pass on; the final response follows.
            interimResponse = true;
            ForwardedHeaders.removeHopByHop(headers);
            client.write(response);
            return;
        }
        responseStarted = true;
        String wait = headers.get(WAIT_HEADER);
        if (wait != null) {
            headers.remove(WAIT_HEADER);
            waitNanos = GoDuration.parseNanos(wait);
            if (waitNanos >= 0) {
                context.waits().record(key, node, waitNanos);
            }
        }
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
        boolean lengthKnown = HttpUtil.isContentLengthSet(response);
        boolean bodyless = client.lastRequestWasHead() || code == 204 || code == 304;
        backendReusable = HttpUtil.isKeepAlive(response) && (chunked || lengthKnown || bodyless) && code != 101;
        ForwardedHeaders.removeHopByHop(headers);

        boolean keepClient = clientKeepAlive && !context.draining();
        if (!chunked && !lengthKnown && !bodyless) {
            // The node delimits this body by closing. An HTTP/1.1 client gets it chunked so the
            // connection survives; an HTTP/1.0 client can only learn the end by our closing.
            if (clientHttp10) {
                keepClient = false;
            } else {
                chunked = true;
            }
        }
        if (chunked && !bodyless) {
            if (clientHttp10) {
                keepClient = false;
            } else {
                ForwardedHeaders.setChunked(headers);
            }
        }
        if (!requestComplete) {
            // The node answered before the whole request arrived; the rest of the body has no
            // place to go, so the client connection ends with this response.
            keepClient = false;
        }
        if (!keepClient) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            closeClientAfter = true;
        } else if (clientHttp10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        response.setProtocolVersion(clientHttp10 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1);
        client.write(response);
    }

    /** The node's read burst ended: send what it produced to the client. */
    void flushToClient() {
        client.flush();
    }

    /** The client connection drained below its low water mark: read the node again. */
    void onClientWritabilityChanged(boolean writable) {
        if (backend != null && !finished) {
            backend.config().setAutoRead(writable);
        }
    }

    /** Whether the client connection can take more, to pause the node when it cannot. */
    void afterClientWrite(boolean clientWritable) {
        if (!clientWritable && backend != null) {
            backend.config().setAutoRead(false);
        }
    }

    private void complete() {
        finished = true;
        context.stats().record(node, key, Math.max(waitNanos, 0));
        Channel ch = backend;
        detachBackend();
        if (backendReusable && requestComplete) {
            client.pool().release(node, ch);
        } else {
            ch.close();
        }
        // The node's handler is detached now and will not flush at the end of its read burst.
        client.flush();
        client.exchangeDone(this, closeClientAfter);
    }

    // ---- failures -----------------------------------------------------------------------

    /** The node connection closed while this exchange used it. */
    void onBackendClosed() {
        if (finished) {
            return;
        }
        backend = null;
        backendHandler = null;
        if (responseStarted) {
            log.warn("node {} closed the connection mid-response for {}", node, key);
            abortClient();
        } else {
            log.warn("node {} closed the connection before responding to {}", node, key);
            failBeforeResponse(HttpResponseStatus.BAD_GATEWAY, "node closed the connection before responding");
        }
    }

    /** The client went away: drop the node connection, which is mid-exchange and cannot be reused. */
    void onClientClosed() {
        if (finished) {
            return;
        }
        finished = true;
        releasePending();
        closeBackend();
        client.exchangeDone(this, true);
    }

    private void failBeforeResponse(HttpResponseStatus status, String message) {
        finished = true;
        closeBackend();
        releasePending();
        // If the request body is still coming, the connection cannot be reused for another request.
        client.respondAfterExchange(this, status, message, !requestComplete);
    }

    private void abortClient() {
        finished = true;
        closeBackend();
        releasePending();
        // Closing (not ending the body cleanly) is how the client learns the body is truncated.
        client.exchangeDone(this, true);
        client.closeNow();
    }

    private void closeBackend() {
        Channel ch = backend;
        detachBackend();
        if (ch != null) {
            ch.close();
        }
    }

    private void detachBackend() {
        if (backendHandler != null) {
            backendHandler.attach(null);
        }
        backend = null;
        backendHandler = null;
    }

    private void releasePending() {
        if (pendingToBackend != null) {
            HttpObject msg;
            while ((msg = pendingToBackend.poll()) != null) {
                ReferenceCountUtil.release(msg);
            }
            pendingToBackend = null;
        }
    }

    static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    static boolean isHead(HttpRequest request) {
        return request.method().equals(HttpMethod.HEAD);
    }
}
