package io.fnlb.health;

import static java.util.Objects.requireNonNull;

import io.fnlb.nodes.NodeAddress;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The I/O behind health checks: one event-loop thread of its own and a connection bootstrap.
 *
 * <p>One thread carries every check: a check is a few hundred bytes on a kept-alive
 * connection, so a round over a thousand nodes costs that thread little, and no thread or pool
 * is created per check or per round. Host names are resolved by the caller on a blocking
 * executor; the bootstrap's resolver is disabled so nothing can resolve on the loop.
 *
 * <p>NIO rather than epoll: the epoll classes are only on the runtime class path, and at a few
 * hundred small requests a second the transport makes no measurable difference.
 */
final class HealthClient implements AutoCloseable {

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final Duration timeout;

    HealthClient(Duration timeout) {
        this.timeout = requireNonNull(timeout, "timeout");
        this.group = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("fnlb-health", true), NioIoHandler.newFactory());
        this.loop = group.next();
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE))
                .option(ChannelOption.TCP_NODELAY, true)
                .disableResolver();
    }

    /** The thread all probes run on. */
    EventLoop loop() {
        return loop;
    }

    /** A probe for {@code node}; it runs {@code steps} per check, each check bounded by the timeout. */
    NodeProbe probe(NodeAddress node, List<CheckStep> steps) {
        return new NodeProbe(node, bootstrap.clone(), loop, steps, timeout);
    }

    /** Closes every connection and stops the thread, waiting briefly unless called from it. */
    @Override
    public void close() {
        var terminated = group.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
        if (!loop.inEventLoop()) {
            terminated.awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }
}
