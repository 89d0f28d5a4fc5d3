package io.fnlb.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * The chunked framing (RFC 9112 §7.1) of a response body sent to the client: each piece of data
 * the node sent becomes one chunk, so a body is forwarded as it arrives, never held to be sized.
 */
final class ChunkFraming {

    private static final ByteBuf CRLF = constant("\r\n");
    private static final ByteBuf LAST_CHUNK = constant("0\r\n\r\n");
    private static final ByteBuf LAST_CHUNK_BEFORE_TRAILERS = constant("0\r\n");
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private ChunkFraming() {
    }

    /** The size line before {@code size} bytes of data. */
    static ByteBuf header(ByteBufAllocator alloc, int size) {
        int digits = Math.max(1, (Integer.SIZE - Integer.numberOfLeadingZeros(size) + 3) / 4);
        ByteBuf line = alloc.buffer(digits + 2);
        for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
            line.writeByte(HEX[(size >>> shift) & 0xf]);
        }
        return line.writeByte('\r').writeByte('\n');
    }

    /** The CRLF after a chunk's data. */
    static ByteBuf dataEnd() {
        return CRLF.duplicate();
    }

    /** The last chunk, with {@code trailers} (header lines with CRLF, or empty), which it takes over. */
    static ByteBuf last(ByteBuf trailers) {
        if (!trailers.isReadable()) {
            trailers.release();
            return LAST_CHUNK.duplicate();
        }
        return Unpooled.wrappedBuffer(LAST_CHUNK_BEFORE_TRAILERS.duplicate(), trailers, CRLF.duplicate());
    }

    private static ByteBuf constant(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes)).asReadOnly();
    }
}
