package io.fnlb.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * An embedded channel for the codec benchmarks: one handler on the pooled allocator, fed bytes
 * as a socket read would bring them (one pooled direct buffer), its output released as the next
 * handler would release it once written.
 */
final class PooledInbound {

    private final PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final EmbeddedChannel channel = new EmbeddedChannel();

    PooledInbound(ChannelHandler handler) {
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(handler);
    }

    /** Reads {@code bytes} into the handler; returns how many messages came out. */
    int feed(byte[] bytes) {
        ByteBuf in = alloc.directBuffer(bytes.length).writeBytes(bytes);
        channel.writeInbound(in);
        int n = 0;
        for (Object m = channel.readInbound(); m != null; m = channel.readInbound()) {
            ReferenceCountUtil.release(m);
            n++;
        }
        return n;
    }

    void close() {
        channel.finishAndReleaseAll();
    }
}
