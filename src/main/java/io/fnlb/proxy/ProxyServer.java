package io.fnlb.proxy;

import static java.util.Objects.requireNonNull;

import io.fnlb.admin.AdminApi;
import io.fnlb.admin.CallStats;
import io.fnlb.nodes.HealthyNodes;
import io.fnlb.nodes.PassiveHealth;
import io.fnlb.routing.NodePicker;
import io.fnlb.routing.WaitTracker;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening side of fnlb: the traffic port, and the management port when it is separate.
 *
 * <p>Owns the event loops, the per-loop node connection pools, and the orderly stop (SPEC §8):
 * stop accepting, let in-flight requests finish, then close everything.
 */
public final class ProxyServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);
    /** How long requests already sent but not yet read get to arrive once draining starts. */
    private static final Duration DRAIN_GRACE = Duration.ofMillis(100);
    /** Connections accepted per wake-up of the listening socket; each accept costs microseconds. */
    private static final int ACCEPTS_PER_WAKEUP = 1024;

    private final Transport transport;
    private final EventLoopGroup group;
    private final ProxyContext context;
    private final BackendPools pools;
    private final ConnectionCap cap;
    private final ChannelGroup clients = new DefaultChannelGroup("fnlb-clients", GlobalEventExecutor.INSTANCE);
    private final List<Channel> listeners = new ArrayList<>();

    /**
     * A proxy over {@code healthy} nodes with the operator's {@code limits}, not yet listening.
     *
     * @param threads event loops; each serves its client connections and their node connections
     * @param transport the socket transport, available here (see {@link Transport#unavailability})
     */
    public ProxyServer(HealthyNodes healthy, WaitTracker waits, CallStats stats, int threads, ProxyLimits limits,
            Transport transport) {
        requireNonNull(healthy, "healthy");
        requireNonNull(limits, "limits");
        this.transport = requireNonNull(transport, "transport");
        this.group = transport.newGroup(threads);
        this.context = new ProxyContext(healthy, new NodePicker(waits), waits, stats, limits);
        this.pools = new BackendPools(group, transport, limits);
        this.cap = new ConnectionCap(limits.maxConnections(), System::nanoTime);
    }

    /**
     * Reports nodes that refuse connections or do not accept them within the connect timeout to
     * {@code health}, which takes them out of routing before its next round. Call it before
     * {@link #listen}; without it, such failures only send requests on to the next node.
     */
    public void passiveHealth(PassiveHealth health) {
        pools.passiveHealth(requireNonNull(health, "health"));
    }

    /**
     * How the listening socket accepts: every queued connection, up to {@link #ACCEPTS_PER_WAKEUP},
     * each time it wakes.
     *
     * <p>The kernel completes handshakes before fnlb accepts, so a client writes its first request
     * at once, and its latency runs while the connection waits in the listen queue. Netty's server
     * allocator, left to its "maybe more data" guess, stops after one accept per wake-up of the
     * epoll listening socket, whatever the message limit. Under load a burst of 1,024 new clients
     * then waited in the queue for up to several seconds ({@code ss -ltn} showed ~1,000 queued,
     * draining over seconds), which set the p99 of the benchmark at 1,024 connections. Accepting
     * until the queue is empty (the loop ends when accept finds none) drains such a burst in one turn.
     */
    static RecvByteBufAllocator acceptAllocator() {
        return new ServerChannelRecvByteBufAllocator()
                .respectMaybeMoreData(false)
                .maxMessagesPerRead(ACCEPTS_PER_WAKEUP);
    }

    /**
     * Opens a port. {@code proxies} says whether it forwards function calls; {@code admin},
     * when not null, serves the admin paths on it (all paths, when it does not proxy).
     *
     * @return the bound address (useful with port 0)
     */
    public InetSocketAddress listen(InetSocketAddress address, boolean proxies, AdminApi admin) throws InterruptedException {
        ProxyContext.PortRole role = new ProxyContext.PortRole(proxies, admin);
        HttpDecoderConfig decoder = context.limits().requestDecoderConfig();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.RECVBUF_ALLOCATOR, acceptAllocator())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, context.limits().writeBufferWaterMark())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!cap.admit(ch)) {
                            return;
                        }
                        clients.add(ch);
                        ch.pipeline()
                                .addLast("codec", new ClientCodec(decoder, pools.forLoop(ch.eventLoop()).requestReader()))
                                .addLast("client", new ClientConnection(context, role, pools));
                    }
                });
        Channel channel = transport.applyTo(bootstrap).bind(address).sync().channel();
        listeners.add(channel);
        InetSocketAddress bound = (InetSocketAddress) channel.localAddress();
        log.info("listening on {} ({}{}{}, {} transport)", bound, proxies ? "proxy" : "",
                proxies && admin != null ? " + " : "", admin != null ? "admin API" : "", transport.flagName());
        return bound;
    }

    /**
     * Stops accepting, closes idle connections, waits for in-flight requests to finish (at most
     * {@code timeout}; zero waits for all), then closes what is left.
     *
     * @return true when every in-flight request finished
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        for (Channel listener : listeners) {
            listener.close().sync();
        }
        context.startDraining();
        // A request a client sent just before the signal may still sit unread in the socket: give
        // the event loops a moment to read it, so that it counts as in flight and is answered,
        // rather than closing its connection as idle.
        for (Channel ch : clients) {
            ch.eventLoop().schedule(() -> {
                ClientConnection client = ch.pipeline().get(ClientConnection.class);
                if (client != null) {
                    client.closeIfIdle();
                }
            }, DRAIN_GRACE.toNanos(), TimeUnit.NANOSECONDS);
        }
        // Until the idle ones are closed, so that whatever arrived meanwhile is counted below.
        Thread.sleep(DRAIN_GRACE.toMillis() + 20);
        long deadline = timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        // Shutdown is rare and off the request path: polling a counter is simpler than a latch per request.
        while (context.inFlight().get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        int left = context.inFlight().get();
        if (left > 0) {
            log.warn("shutdown timeout reached with {} requests in flight; closing them", left);
        }
        return left == 0;
    }

    /** Closes every connection and stops the event loops. */
    @Override
    public void close() {
        clients.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
