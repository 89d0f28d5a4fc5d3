package io.fnlb.proxy;

import io.fnlb.nodes.NodeAddress;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a node connection's pipeline: hands responses to the {@link Exchange} using the
 * connection, or, while the connection is idle in its pool, notices it closing.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(BackendHandler.class);

    private final BackendPool pool;
    private final NodeAddress node;
    private final NodeResponseDecoder decoder;
    private Exchange exchange;

    BackendHandler(BackendPool pool, NodeAddress node, NodeResponseDecoder decoder) {
        this.pool = pool;
        this.node = node;
        this.decoder = decoder;
    }

    /**
     * Binds this connection to {@code next}, which is about to send a request with {@code method};
     * {@code joinBody} as {@link NodeResponseDecoder#expectResponseTo} takes it.
     */
    void attach(Exchange next, HttpMethod method, boolean joinBody) {
        this.exchange = next;
        decoder.expectResponseTo(method, joinBody);
    }

    /** Unbinds this connection from its exchange (it goes back to the pool, or closes). */
    void detach() {
        this.exchange = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Exchange current = exchange;
        if (current == null) {
            // A node must not speak while idle; the connection's framing is no longer trustworthy.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        current.onResponseObject(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Exchange current = exchange;
        if (current != null) {
            current.flushToClient();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Exchange current = exchange;
        if (current != null) {
            current.onBackendWritabilityChanged();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange current = exchange;
        exchange = null;
        if (current != null) {
            current.onBackendClosed();
        } else {
            pool.removeIdle(node, ctx.channel());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("connection to node {} failed", node, cause);
        ctx.close();
    }
}
