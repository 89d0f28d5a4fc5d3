package io.fnlb.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A burst of connections that queued while the event loop was busy is accepted in one wake-up of
 * the listening socket, with fnlb's accept settings ({@link ProxyServer#acceptAllocator()}), on the
 * transport fnlb uses here.
 *
 * <p>The event loop is held busy by a task while 200 clients connect: the kernel completes their
 * handshakes and queues them. Released, the listening socket wakes once for all of them. With
 * Netty's own guess it accepted one per wake-up, so a burst under load waited seconds.
 */
class AcceptDrainsTheListenQueueTest {

    private static final int BURST = 200;

    @Test
    void aQueuedBurstIsAcceptedInOneWakeUp() throws Exception {
        Transport transport = Transport.best();
        assumeTrue(transport == Transport.EPOLL, "the one-accept-per-wake-up guess is the epoll transport's");
        EventLoopGroup group = transport.newGroup(1);
        List<Integer> batches = new CopyOnWriteArrayList<>();
        List<java.nio.channels.SocketChannel> clients = new ArrayList<>();
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, ProxyServer.acceptAllocator())
                    .handler(new BatchCounter(batches))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            InetSocketAddress address = (InetSocketAddress) server.localAddress();

            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            group.next().execute(() -> {
                busy.countDown();
                awaitQuietly(release);
            });
            assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
            connectAll(address, clients);
            release.countDown();

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(batches.stream().mapToInt(Integer::intValue).sum())
                            .as("connections accepted").isEqualTo(BURST));
            assertThat(batches.get(0)).as("accepted in the first wake-up after the loop was free (all batches: %s)", batches)
                    .isEqualTo(BURST);
            server.close().sync();
        } finally {
            for (java.nio.channels.SocketChannel client : clients) {
                client.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Opens {@link #BURST} connections and waits until the kernel has completed every handshake. */
    private static void connectAll(InetSocketAddress address, List<java.nio.channels.SocketChannel> clients) throws IOException {
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < BURST; i++) {
                java.nio.channels.SocketChannel client = java.nio.channels.SocketChannel.open();
                clients.add(client);
                client.configureBlocking(false);
                if (!client.connect(address)) {
                    client.register(selector, SelectionKey.OP_CONNECT);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!selector.keys().isEmpty() && System.nanoTime() < deadline) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    ((java.nio.channels.SocketChannel) key.channel()).finishConnect();
                    key.cancel();
                }
                selector.selectedKeys().clear();
                selector.selectNow();
            }
            assertThat(selector.keys()).as("connections still completing their handshake").isEmpty();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records how many connections each wake-up of the listening socket accepted. */
    private static final class BatchCounter extends ChannelInboundHandlerAdapter {
        private final List<Integer> batches;
        private int batch;

        BatchCounter(List<Integer> batches) {
            this.batches = batches;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            batch++;
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (batch > 0) {
                batches.add(batch);
                batch = 0;
            }
            ctx.fireChannelReadComplete();
        }
    }
}
