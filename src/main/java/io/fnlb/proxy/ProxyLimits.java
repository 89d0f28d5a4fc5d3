package io.fnlb.proxy;

import io.netty.channel.WriteBufferWaterMark;

/**
 * Sizes and timeouts of the data plane. None of them bounds a function call's duration or body
 * size: bodies stream, and a call may run as long as the function does.
 *
 * @param maxInitialLineLength longest request or status line
 * @param maxHeaderSize largest header block
 * @param maxChunkSize largest body slice handed on at once (a socket read rarely exceeds it)
 * @param connectTimeoutMillis bound on opening a connection to a node
 * @param maxIdlePerNode idle keep-alive connections kept per node and event loop
 * @param writeBufferWaterMark when a peer's pending writes cross these bounds, reading from the
 *     other side pauses and resumes (backpressure)
 * @param maxAdminBody largest admin API request body
 */
record ProxyLimits(
        int maxInitialLineLength,
        int maxHeaderSize,
        int maxChunkSize,
        int connectTimeoutMillis,
        int maxIdlePerNode,
        WriteBufferWaterMark writeBufferWaterMark,
        int maxAdminBody) {

    /** Defaults sized for function calls: 8 KiB lines, 64 KiB headers, 5 s connect. */
    static ProxyLimits defaults() {
        return new ProxyLimits(8192, 65536, 1 << 20, 5000, 256, new WriteBufferWaterMark(64 * 1024, 256 * 1024), 64 * 1024);
    }
}
