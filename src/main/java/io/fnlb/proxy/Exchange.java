package io.fnlb.proxy;

import io.fnlb.config.GoDuration;
import io.fnlb.nodes.NodeAddress;
import io.fnlb.nodes.NodeSet;
import io.fnlb.routing.NodePicker;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>Retries, only where the node provably never saw the request: when a connection cannot be
 * made (refused, timed out), the request, held whole while connecting, goes to the next healthy
 * node of the ring ({@link NodePicker#nextAfter}), each node at most once, and the node is
 * reported to passive health; when a reused keep-alive connection turns out closed before any
 * answer (the node's idle timeout raced our write), an idempotent request whose body was not
 * sent yet is sent once more on a new connection; when a node drops such a request without a
 * byte of answer otherwise (failing, or shutting down), it goes to the next node of the ring.
 * Anything else that fails after the first byte went out is answered 502: a POST may have run,
 * and is never replayed. The happy path allocates
 * nothing for this.
 */
final class Exchange {

    private static final Logger log = LoggerFactory.getLogger(Exchange.class);
    static final AsciiString WAIT_HEADER = AsciiString.cached("xxx-fxlb-wait");
    private static final byte[] TRANSFER_ENCODING_CHUNKED = ascii("transfer-encoding: chunked");
    private static final byte[] CONNECTION_CLOSE = ascii("connection: close");
    private static final byte[] CONNECTION_KEEP_ALIVE = ascii("connection: keep-alive");

    private final ClientConnection client;
    private final ProxyContext context;
    private final String key;
    private final boolean clientKeepAlive;
    private final boolean clientHttp10;

    // The node serving the request: the picked one, or the one a retry moved it to.
    private NodeAddress node;
    private InetSocketAddress address;
    private BackendPool pool;
    // The decoded head, kept for a retry; it holds no buffer, so keeping it is free.
    private HttpRequest request;
    private boolean requestChunked;
    private String clientIp;
    // Nodes that could not take the request; allocated only when a retry happens.
    private ArrayList<NodeAddress> tried;

    private Channel backend;
    private BackendHandler backendHandler;
    private ArrayDeque<HttpObject> pendingToBackend;
    private ScheduledFuture<?> responseTimer;

    private boolean reusedConnection;
    private boolean bodySent;
    private boolean nodeAnswered;
    private boolean replayed;
    private boolean requestComplete;
    private boolean clientChunked;
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

    /** Sends the request to the node, connecting first if needed; its head is rewritten as it is written. */
    void start(HttpRequest request, String clientIp, BackendPool pool, InetSocketAddress address) {
        this.requestChunked = HttpUtil.isTransferEncodingChunked(request);
        this.clientIp = clientIp;
        this.request = request;
        this.pool = pool;
        this.address = address;

        Channel idle = pool.pollIdle(node);
        if (idle != null) {
            reusedConnection = true;
            attach(idle);
            writeToBackend(request);
            return;
        }
        pendingToBackend = new ArrayDeque<>(4);
        pendingToBackend.add(request);
        connect();
    }

    private void connect() {
        reusedConnection = false;
        // Hold the client's body until the node connection exists (bounded by autoRead): if the
        // connection cannot be made, all of it can still go to another node.
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
            String reason = describeConnectFailure(future.cause());
            pool.connectFailed(node, reason);
            if (!retryElsewhere(reason)) {
                log.warn("could not connect to node {}: {}", node, reason);
                failBeforeResponse(HttpResponseStatus.BAD_GATEWAY, "could not connect to node: " + reason);
            }
            return;
        }
        attach(future.channel());
        writePending();
    }

    /**
     * The request, held whole in {@code pendingToBackend}, goes to the next node of the ring that
     * was not tried yet, on the snapshot in force now (which no longer has nodes health took
     * out meanwhile); false when no node is left.
     */
    private boolean retryElsewhere(String reason) {
        if (tried == null) {
            tried = new ArrayList<>(4);
        }
        tried.add(node);
        NodeSet nodes = context.healthy().current();
        ArrayList<NodeAddress> skip = tried;
        int next = NodePicker.nextAfter(nodes, node, skip::contains);
        if (next < 0) {
            return false;
        }
        log.debug("node {} failed ({}); sending {} to node {}", node, reason, key, nodes.get(next));
        node = nodes.get(next);
        address = nodes.socketAddress(next);
        Channel idle = pool.pollIdle(node);
        if (idle == null) {
            connect();
        } else {
            reusedConnection = true;
            attach(idle);
            writePending();
        }
        return true;
    }

    private void writePending() {
        ArrayDeque<HttpObject> pending = pendingToBackend;
        pendingToBackend = null;
        HttpObject msg;
        while ((msg = pending.poll()) != null) {
            writeToBackend(msg);
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
        // An HTTP/1.1 client that keeps its connection gets the node's head as it is (unless fnlb
        // starts draining meanwhile), so body bytes read with the head may share its buffer.
        backendHandler.attach(this, request.method(), clientKeepAlive && !clientHttp10);
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

    /**
     * Writes a part of the request to the node as bytes: the head rewritten for this node, body
     * pieces as they came (in new chunk framing for a chunked body). The node connection has no
     * HTTP encoder.
     */
    private void writeToBackend(HttpObject msg) {
        if (msg instanceof HttpContent && msg != LastHttpContent.EMPTY_LAST_CONTENT) {
            bodySent = true;
        }
        if (msg instanceof HttpRequest head) {
            // Its body, if the decoder ever hands on both in one object, comes through onRequestContent.
            ByteBuf bytes = ForwardedHeaders.encodeRequestHead(pool.headBuilder(), backend.alloc(), head, requestChunked,
                    clientIp, node);
            writeBytesToBackend(bytes, false);
        } else if (msg instanceof HttpContent content) {
            boolean last = content instanceof LastHttpContent;
            ByteBuf data = content.content();
            if (!requestChunked) {
                if (data.isReadable() || last && pool.responseTimeoutNanos() > 0) {
                    writeBytesToBackend(data, last);
                } else {
                    // The empty end of a request without a body (every GET): nothing to send, and
                    // no -response-timeout waits for its write to complete.
                    content.release();
                }
            } else {
                if (data.isReadable()) {
                    backend.write(ChunkFraming.header(backend.alloc(), data.readableBytes()), backend.voidPromise());
                    backend.write(data, backend.voidPromise());
                    backend.write(ChunkFraming.dataEnd(), backend.voidPromise());
                } else {
                    content.release();
                }
                if (last) {
                    ByteBuf trailers = ForwardedHeaders.encodeTrailers(pool.headBuilder(), backend.alloc(),
                            ((LastHttpContent) content).trailingHeaders());
                    writeBytesToBackend(ChunkFraming.last(trailers), true);
                }
            }
        }
        if (!backend.isWritable()) {
            client.setAutoRead(false);
        }
    }

    private void writeBytesToBackend(ByteBuf bytes, boolean last) {
        if (last && pool.responseTimeoutNanos() > 0) {
            writeLastTimed(bytes);
        } else {
            backend.write(bytes, backend.voidPromise());
        }
    }

    // -response-timeout runs from the moment the request's last byte is written to the node.
    private void writeLastTimed(ByteBuf last) {
        Channel ch = backend;
        ch.write(last).addListener((ChannelFutureListener) written -> {
            if (written.isSuccess() && ch == backend && !responseStarted && !finished) {
                responseTimer = ch.eventLoop().schedule(() -> onResponseTimeout(ch), pool.responseTimeoutNanos(),
                        TimeUnit.NANOSECONDS);
            }
        });
    }

    private void onResponseTimeout(Channel ch) {
        responseTimer = null;
        if (finished || ch != backend || responseStarted) {
            return;
        }
        String limit = describe(Duration.ofNanos(pool.responseTimeoutNanos()));
        log.warn("node {} did not respond to {} within {}", node, key, limit);
        // The connection is closed, not pooled: a late answer would be taken for the next request's.
        failBeforeResponse(HttpResponseStatus.GATEWAY_TIMEOUT, "node did not respond within " + limit);
    }

    private void cancelResponseTimer() {
        if (responseTimer != null) {
            responseTimer.cancel(false);
            responseTimer = null;
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

    /** A response part from {@link NodeResponseDecoder}. */
    void onResponseObject(Object msg) {
        if (finished) {
            ReferenceCountUtil.release(msg);
            return;
        }
        nodeAnswered = true;
        if (msg instanceof ByteBuf data) {
            writeBody(data);
        } else if (msg instanceof NodeResponseEnd end) {
            onResponseEnd(end);
        } else if (msg instanceof NodeResponseHead head) {
            onResponseHead(head);
        } else if (msg instanceof NodeResponseDecoder.Invalid invalid) {
            log.warn("invalid response from node {}: {}", node, invalid.reason());
            closeBackend();
            if (responseStarted) {
                abortClient();
            } else {
                failBeforeResponse(HttpResponseStatus.BAD_GATEWAY, "invalid response from node");
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onResponseHead(NodeResponseHead head) {
        if (head.interim()) {
            // 100 Continue, 103 Early Hints: pass on; the final response follows. Never to an
            // HTTP/1.0 client, which does not expect them (RFC 9110 §15.2).
            if (clientHttp10) {
                head.release();
            } else {
                client.writeResponseHead(head.content(), true);
            }
            return;
        }
        responseStarted = true;
        cancelResponseTimer();
        String wait = head.waitHeader();
        if (wait != null) {
            waitNanos = GoDuration.parseNanos(wait);
            if (waitNanos >= 0) {
                context.waits().record(key, node, waitNanos);
            }
        }
        // The decoder counts the framing and Connection in: a body that ends with the
        // connection, a 101 or a tunnel leave it unusable for another request.
        backendReusable = head.keepAlive();
        NodeResponseHead.Framing framing = head.framing();
        boolean keepClient = clientKeepAlive && !context.draining();
        if (framing == NodeResponseHead.Framing.CHUNKED || framing == NodeResponseHead.Framing.UNTIL_CLOSE) {
            // An HTTP/1.1 client gets these bodies chunked, so its connection survives; an
            // HTTP/1.0 client can only learn the end by our closing.
            if (clientHttp10) {
                keepClient = false;
            } else {
                clientChunked = true;
                head = head.withHeader(TRANSFER_ENCODING_CHUNKED);
            }
        }
        if (!requestComplete) {
            // The node answered before the whole request arrived; the rest of the body has no
            // place to go, so the client connection ends with this response.
            keepClient = false;
        }
        if (!keepClient) {
            head = head.withHeader(CONNECTION_CLOSE);
            closeClientAfter = true;
        } else if (clientHttp10) {
            head = head.withHeader(CONNECTION_KEEP_ALIVE);
        }
        if (clientHttp10) {
            head.setHttp10();
        }
        client.writeResponseHead(head.content(), false);
        if (framing == NodeResponseHead.Framing.NONE) {
            complete();
        }
    }

    private void writeBody(ByteBuf data) {
        if (clientChunked) {
            client.writeRaw(ChunkFraming.header(client.alloc(), data.readableBytes()));
            client.writeRaw(data);
            client.writeRaw(ChunkFraming.dataEnd());
        } else {
            client.writeRaw(data);
        }
    }

    private void onResponseEnd(NodeResponseEnd end) {
        if (clientChunked) {
            client.writeRaw(ChunkFraming.last(end.content()));
        } else {
            end.release();
        }
        complete();
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
            pool.release(node, ch);
        } else {
            ch.close();
        }
        // The node's handler is detached now and will not flush at the end of its read burst.
        client.flush();
        client.exchangeDone(this, closeClientAfter);
    }

    // ---- failures -----------------------------------------------------------------------

    /** Queues the request head (and its end, when it had arrived) to be written again on a new connection. */
    private void queueRequestAgain() {
        pendingToBackend = new ArrayDeque<>(2);
        pendingToBackend.add(request);
        if (requestComplete) {
            pendingToBackend.add(LastHttpContent.EMPTY_LAST_CONTENT);
        }
    }

    /** The node connection closed while this exchange used it. */
    void onBackendClosed() {
        if (finished) {
            return;
        }
        detachBackend();
        if (responseStarted) {
            log.warn("node {} closed the connection mid-response for {}", node, key);
            abortClient();
        } else if (replayable()) {
            replayed = true;
            log.debug("node {} closed a reused connection before answering {}; sending it again on a new one", node, key);
            queueRequestAgain();
            connect();
        } else if (resendableElsewhere()) {
            // Not the idle-timeout race (or it already had its replay): the node is failing or
            // going away. A request that is safe to send twice goes to the next node of the ring.
            queueRequestAgain();
            if (!retryElsewhere("closed the connection before responding")) {
                log.warn("node {} closed the connection before responding to {}", node, key);
                failBeforeResponse(HttpResponseStatus.BAD_GATEWAY, "node closed the connection before responding");
            }
        } else {
            log.warn("node {} closed the connection before responding to {}", node, key);
            failBeforeResponse(HttpResponseStatus.BAD_GATEWAY, "node closed the connection before responding");
        }
    }

    /**
     * A node closed the connection without a byte of answer to a request that is idempotent and
     * whose body, if any, is not yet sent: sending it to another node is harmless (RFC 9110
     * §9.2.2), as nginx's {@code proxy_next_upstream} does. Each node is tried at most once.
     */
    private boolean resendableElsewhere() {
        return !nodeAnswered && !bodySent && isIdempotent(request.method());
    }

    /**
     * The stale keep-alive race: the node closed a pooled connection just as the request went out
     * on it, without a byte of answer. Such a request is sent again, once, on a new connection,
     * when sending it twice is harmless (an idempotent method) and nothing of its body is lost
     * (none of it was sent; the rest is still to come from the client).
     */
    private boolean replayable() {
        return reusedConnection && !nodeAnswered && !bodySent && !replayed && isIdempotent(request.method());
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
        cancelResponseTimer();
        if (backendHandler != null) {
            backendHandler.detach();
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

    /** The reason a connect failed, in the health checker's words where they apply. */
    static String describeConnectFailure(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return "connect timed out";
        }
        String message = describe(cause);
        return message.toLowerCase(Locale.ROOT).contains("connection refused") ? "connection refused" : message;
    }

    /** {@code 300ms}, {@code 2s}: how operators wrote the flag. */
    static String describe(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        return nanos % 1_000_000L == 0 ? nanos / 1_000_000L + "ms" : nanos + "ns";
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** RFC 9110 §9.2.2: methods whose repetition has the effect of one request. */
    static boolean isIdempotent(HttpMethod method) {
        return method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD) || method.equals(HttpMethod.OPTIONS)
                || method.equals(HttpMethod.PUT) || method.equals(HttpMethod.DELETE) || method.equals(HttpMethod.TRACE);
    }
}
