package io.fnlb.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringBufferRingConfig;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringFixedBufferRingAllocator;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The socket transport. By default native epoll where the platform has it (Linux), NIO elsewhere,
 * so the same jar runs on a developer's laptop while production gets epoll; io_uring only when the
 * operator asks for it ({@code -transport io_uring}).
 *
 * <p>Why io_uring is not the default although it served small requests faster on the benchmark
 * box: it needs a kernel and a sandbox that allow it (Docker's default seccomp profile and some
 * hardened kernels refuse {@code io_uring_setup}), and with 64 KiB bodies its peak RSS was 131.1
 * MiB at 64 connections and 141.8 MiB at 1,024, above the 128 MiB budget the defaults are held to
 * (epoll in the same run: 119.2 and 123.3). README "Performance" has the numbers.
 */
public enum Transport {
    /** Linux native epoll. */
    EPOLL,
    /** Linux io_uring, with a shared ring of receive buffers per event loop. */
    IO_URING,
    /** JDK NIO, the portable fallback. */
    NIO;

    /**
     * Receive buffers per event loop that io_uring reads land in (a "provided buffer ring"): a
     * socket takes one only when bytes arrive, where a plain io_uring read holds a buffer per
     * waiting socket. 128 of 16 KiB, 2 MiB per loop, consumed incrementally where the kernel can
     * (6.12+). At 1,024 connections with 64 KiB bodies the ring took peak RSS from 153.2-165.7
     * MiB down to 140.6-143.6 MiB and req/s from 16,601-17,924 up to 19,757-21,788 (three
     * bench/matrix.sh runs each); a ring of 512 was no faster and held more.
     */
    private static final short RING_BUFFERS = 128;
    private static final int RING_BUFFER_BYTES = 16 * 1024;
    /** Buffers allocated at a time when the ring is refilled. */
    private static final int RING_REFILL_BATCH = 16;
    private static final short RING_GROUP = 0;

    /** How the {@code -transport} flag names it: the constant's name in lower case. */
    public String flagName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Epoll when its native library loads here, else NIO. */
    public static Transport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** The transport the flag value names, ignoring case; empty when it names none. */
    public static Optional<Transport> named(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.flagName().equals(wanted)).findFirst();
    }

    /** Why this transport cannot run here, or empty when it can. */
    public Optional<String> unavailability() {
        Throwable cause = switch (this) {
            case EPOLL -> Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
            case IO_URING -> IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
            case NIO -> null;
        };
        if (cause == null) {
            return Optional.empty();
        }
        // The native loaders wrap the reason (no such library, a refused system call) a few times.
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return Optional.of(reason);
    }

    /** A group of {@code threads} event loops of this transport. */
    public EventLoopGroup newGroup(int threads) {
        IoHandlerFactory factory = switch (this) {
            case EPOLL -> EpollIoHandler.newFactory();
            case IO_URING -> IoUringIoHandler.newFactory(ioUringConfig());
            case NIO -> NioIoHandler.newFactory();
        };
        return new MultiThreadIoEventLoopGroup(threads, factory);
    }

    /** Whether sockets read into the buffer ring: io_uring on a kernel that has rings (5.19+). */
    private boolean readsIntoRing() {
        return this == IO_URING && IoUring.isRegisterBufferRingSupported();
    }

    /** The buffer ring where the kernel has them; without, io_uring reads as it would. */
    private IoUringIoHandlerConfig ioUringConfig() {
        IoUringIoHandlerConfig config = new IoUringIoHandlerConfig();
        if (readsIntoRing()) {
            config.setBufferRingConfig(IoUringBufferRingConfig.builder()
                    .bufferGroupId(RING_GROUP)
                    .bufferRingSize(RING_BUFFERS)
                    .batchSize(RING_REFILL_BATCH)
                    .incremental(IoUring.isRegisterBufferRingIncSupported())
                    .allocator(new IoUringFixedBufferRingAllocator(RING_BUFFER_BYTES))
                    .build());
        }
        return config;
    }

    /** The listening socket class. */
    public Class<? extends ServerSocketChannel> serverChannel() {
        return switch (this) {
            case EPOLL -> EpollServerSocketChannel.class;
            case IO_URING -> IoUringServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    /** The connecting socket class. */
    public Class<? extends SocketChannel> clientChannel() {
        return switch (this) {
            case EPOLL -> EpollSocketChannel.class;
            case IO_URING -> IoUringSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    /** Sets the transport's own options on accepted sockets (io_uring: read into the buffer ring). */
    public ServerBootstrap applyTo(ServerBootstrap bootstrap) {
        if (readsIntoRing()) {
            bootstrap.childOption(IoUringChannelOption.IO_URING_BUFFER_GROUP_ID, RING_GROUP);
        }
        return bootstrap;
    }

    /** Sets the transport's own options on sockets to nodes (io_uring: read into the buffer ring). */
    public Bootstrap applyTo(Bootstrap bootstrap) {
        if (readsIntoRing()) {
            bootstrap.option(IoUringChannelOption.IO_URING_BUFFER_GROUP_ID, RING_GROUP);
        }
        return bootstrap;
    }
}
