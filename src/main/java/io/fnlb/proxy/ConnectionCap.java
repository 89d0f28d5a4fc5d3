package io.fnlb.proxy;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cap on concurrent client connections ({@code -max-conns}), over all ports of one fnlb.
 *
 * <p>One shared counter, raised when a connection is accepted and lowered when it closes. A
 * connection over the cap is not decoded at all: it gets a fixed {@code 503} and is closed once
 * that is written (or at once if writing fails), so a flood costs an accept, one small write and
 * a close per connection. Refusals are logged at most once per {@link #LOG_EVERY_NANOS}.
 */
final class ConnectionCap {

    private static final Logger log = LoggerFactory.getLogger(ConnectionCap.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final String BODY = "{\"msg\":\"too many connections\"}";
    private static final byte[] REFUSAL = ("HTTP/1.1 503 Service Unavailable\r\n"
            + "content-type: application/json\r\n"
            + "cache-control: no-store\r\n"
            + "content-length: " + BODY.length() + "\r\n"
            + "connection: close\r\n"
            + "\r\n"
            + BODY).getBytes(US_ASCII);

    private final int max;
    private final LongSupplier nanoTime;
    private final AtomicInteger open = new AtomicInteger();
    private final ChannelFutureListener onClose = future -> open.decrementAndGet();
    private final Refusal refusal = new Refusal();
    private final AtomicLong refusedSinceLog = new AtomicLong();
    private final AtomicLong lastLog;

    /**
     * @param max concurrent connections allowed; zero means no cap
     * @param nanoTime the clock that spaces refusal log lines
     */
    ConnectionCap(int max, LongSupplier nanoTime) {
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative");
        }
        this.max = max;
        this.nanoTime = nanoTime;
        this.lastLog = new AtomicLong(nanoTime.getAsLong() - LOG_EVERY_NANOS);
    }

    /**
     * Counts {@code ch} until it closes, from its channel initializer.
     *
     * @return true when {@code ch} may be served; false when it is over the cap and was set up
     *     to answer 503 and close
     */
    boolean admit(Channel ch) {
        if (max == 0) {
            return true;
        }
        int now = open.incrementAndGet();
        ch.closeFuture().addListener(onClose);
        if (now <= max) {
            return true;
        }
        ch.pipeline().addLast("refusal", refusal);
        noteRefusal();
        return false;
    }

    /** Connections counted now (zero when there is no cap). */
    int open() {
        return open.get();
    }

    private void noteRefusal() {
        long refused = refusedSinceLog.incrementAndGet();
        long now = nanoTime.getAsLong();
        long last = lastLog.get();
        if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
            refusedSinceLog.addAndGet(-refused);
            log.warn("{} client connections refused: the cap of {} concurrent connections (-max-conns) is reached",
                    refused, max);
        }
    }

    /** Answers 503 to a connection over the cap and closes it. */
    @ChannelHandler.Sharable
    private static final class Refusal extends ChannelInboundHandlerAdapter {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(REFUSAL)).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
