package io.fnlb.proxy;

import io.fnlb.nodes.NodeAddress;
import io.fnlb.nodes.PassiveHealth;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Keep-alive connections to nodes, owned by one event loop.
 *
 * <p>Each event loop has its own pool and connects to nodes from itself, so a client connection
 * and the node connection serving it share one thread: bytes move between them without a
 * thread hand-off and the pool needs no lock. Idle connections are reused last-in first-out,
 * which keeps a few connections hot and lets the rest age out at the node.
 */
final class BackendPool {

    private final Bootstrap bootstrap;
    private final PassiveHealth passiveHealth;
    private final long responseTimeoutNanos;
    private final int maxIdlePerNode;
    private final Map<NodeAddress, ArrayDeque<Channel>> idle = new HashMap<>();
    private final HeadBuilder headBuilder = new HeadBuilder();
    private final BodilessRequestReader requestReader;

    BackendPool(EventLoop loop, Transport transport, ProxyLimits limits, PassiveHealth passiveHealth) {
        this.passiveHealth = passiveHealth;
        this.responseTimeoutNanos = limits.responseTimeout().toNanos();
        this.maxIdlePerNode = limits.maxIdlePerNode();
        this.requestReader = new BodilessRequestReader(limits.requestDecoderConfig());
        this.bootstrap = transport.applyTo(new Bootstrap()
                .group(loop)
                .channel(transport.clientChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, limits.connectTimeoutMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, limits.writeBufferWaterMark()));
    }

    /** An idle open connection to {@code node}, or null. */
    Channel pollIdle(NodeAddress node) {
        ArrayDeque<Channel> channels = idle.get(node);
        if (channels == null) {
            return null;
        }
        Channel ch;
        while ((ch = channels.pollLast()) != null) {
            if (ch.isActive()) {
                return ch;
            }
        }
        return null;
    }

    /** Opens a new connection to {@code node} at {@code address}; its pipeline ends in a {@link BackendHandler}. */
    ChannelFuture connect(NodeAddress node, InetSocketAddress address) {
        return bootstrap.clone()
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        NodeResponseDecoder decoder = new NodeResponseDecoder(headBuilder);
                        ch.pipeline()
                                .addLast("decoder", decoder)
                                .addLast("backend", new BackendHandler(BackendPool.this, node, decoder));
                    }
                })
                .connect(address);
    }

    /** This event loop's scratch space for message heads. */
    HeadBuilder headBuilder() {
        return headBuilder;
    }

    /** This event loop's reader of bodiless client requests, for its clients' {@link ClientCodec}s. */
    BodilessRequestReader requestReader() {
        return requestReader;
    }

    /** {@code node} refused a connection or did not accept it in time: health takes it out of routing. */
    void connectFailed(NodeAddress node, String reason) {
        passiveHealth.markDown(node, reason);
    }

    /** The bound from a request's last byte sent to the node's response head; zero: none. */
    long responseTimeoutNanos() {
        return responseTimeoutNanos;
    }

    /** Returns a connection whose exchange ended cleanly; closes it when the pool is full. */
    void release(NodeAddress node, Channel ch) {
        if (!ch.isActive()) {
            return;
        }
        ArrayDeque<Channel> channels = idle.computeIfAbsent(node, n -> new ArrayDeque<>());
        if (channels.size() >= maxIdlePerNode) {
            ch.close();
            return;
        }
        // An idle connection must keep reading, or we would not notice the node closing it.
        ch.config().setAutoRead(true);
        channels.addLast(ch);
    }

    /** Forgets an idle connection that closed. */
    void removeIdle(NodeAddress node, Channel ch) {
        ArrayDeque<Channel> channels = idle.get(node);
        if (channels != null) {
            channels.remove(ch);
            if (channels.isEmpty()) {
                idle.remove(node);
            }
        }
    }
}
