package io.fnlb.proxy;

import static java.util.Objects.requireNonNull;

import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpDecoderConfig;
import java.time.Duration;

/**
 * Sizes and timeouts of the data plane. None of them bounds a function call's duration or body
 * size by default: bodies stream, and a call may run as long as the function does.
 *
 * <p>A zero duration means "no limit" for the optional timeouts ({@code responseTimeout},
 * {@code headerTimeout}, {@code bodyTimeout}, {@code idleTimeout}); {@code maxConnections} zero
 * means no cap.
 *
 * @param maxInitialLineLength longest request line (longer: 414)
 * @param maxHeaderSize largest request header block (larger: 431)
 * @param maxChunkSize largest body slice handed on at once (a socket read rarely exceeds it)
 * @param connectTimeout bound on opening a connection to a node
 * @param responseTimeout bound from the request's last byte sent to the node's response head; zero: none
 * @param headerTimeout bound on receiving a request head from its first byte; zero: none
 * @param bodyTimeout longest pause between a request body's bytes while fnlb waits for them; zero: none
 * @param idleTimeout how long a client keep-alive connection may sit between requests; zero: forever
 * @param maxConnections concurrent client connections over all ports; excess ones are refused; zero: no cap
 * @param maxIdlePerNode idle keep-alive connections kept per node and event loop
 * @param writeBufferWaterMark when a peer's pending writes cross these bounds, reading from the
 *     other side pauses and resumes (backpressure)
 * @param maxAdminBody largest admin API request body
 */
public record ProxyLimits(
        int maxInitialLineLength,
        int maxHeaderSize,
        int maxChunkSize,
        Duration connectTimeout,
        Duration responseTimeout,
        Duration headerTimeout,
        Duration bodyTimeout,
        Duration idleTimeout,
        int maxConnections,
        int maxIdlePerNode,
        WriteBufferWaterMark writeBufferWaterMark,
        int maxAdminBody) {

    /** Default longest request line: 8 KiB, as nginx and HAProxy allow about that much. */
    public static final int DEFAULT_MAX_REQUEST_LINE = 8192;
    /** Default largest header block: 64 KiB. */
    public static final int DEFAULT_MAX_HEADER_SIZE = 65536;
    /**
     * Idle node connections kept per node and event loop. High on purpose: a cap below the
     * concurrency a node sees makes the proxy close connections after each response and open new
     * ones for the next requests, and a busy node accepts those slowly. At 1,024 client connections
     * over two nodes and two event loops, one node can see more than 256 concurrent requests per
     * loop. (The benchmark effect was inside its noise; the churn is what this avoids.) An idle
     * connection costs a few KiB; nodes close the ones they do not want.
     */
    static final int MAX_IDLE_PER_NODE = 1024;
    /** One shared instance: the mark has no equals, and limits are compared in tests. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);

    /** Null and range checks. */
    public ProxyLimits {
        requireNonNull(connectTimeout, "connectTimeout");
        requireNonNull(responseTimeout, "responseTimeout");
        requireNonNull(headerTimeout, "headerTimeout");
        requireNonNull(bodyTimeout, "bodyTimeout");
        requireNonNull(idleTimeout, "idleTimeout");
        requireNonNull(writeBufferWaterMark, "writeBufferWaterMark");
        if (maxInitialLineLength < 1 || maxHeaderSize < 1 || maxChunkSize < 1 || maxIdlePerNode < 0
                || maxConnections < 0 || maxAdminBody < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (connectTimeout.isZero() || connectTimeout.isNegative()) {
            throw new IllegalArgumentException("connectTimeout must be positive");
        }
    }

    /**
     * Defaults sized for function calls: 8 KiB lines, 64 KiB headers, 5 s connect, no response
     * timeout, 10 s for a request head, 60 s for a stalled body, 120 s idle keep-alive, 20,000
     * connections.
     */
    public static ProxyLimits defaults() {
        return new ProxyLimits(DEFAULT_MAX_REQUEST_LINE, DEFAULT_MAX_HEADER_SIZE, 1 << 20,
                Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofSeconds(120), 20_000, MAX_IDLE_PER_NODE,
                WATER_MARK, 64 * 1024);
    }

    /**
     * The configuration of Netty's request decoder in {@link ClientCodec}, and the limits that
     * {@link BodilessRequestReader} keeps to. Netty's defaults today, some of them system
     * properties, are spelled out: request smuggling defences must not depend on how the JVM was
     * started.
     */
    HttpDecoderConfig requestDecoderConfig() {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(maxInitialLineLength)
                .setMaxHeaderSize(maxHeaderSize)
                .setMaxChunkSize(maxChunkSize)
                .setValidateHeaders(true)
                .setStrictLineParsing(true)
                .setUseRfc9112TransferEncoding(true)
                .setAllowDuplicateContentLengths(false);
    }

    /** Connect timeout in the unit Netty's option takes, saturated to an int. */
    int connectTimeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis()));
    }
}
