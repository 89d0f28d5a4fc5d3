package io.fnlb.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AsciiString;
import java.util.Arrays;

/**
 * A growable byte array in which a message head is assembled before it is copied, in one go, into
 * the pooled direct buffer that is sent. Netty without {@code sun.misc.Unsafe} writes into direct
 * buffers through checked {@code ByteBuffer} calls, and a head is made of many small pieces.
 *
 * <p>One per event loop ({@link BackendPool#headBuilder()}), shared by the connections of that
 * loop: each use (reset, appends, {@link #toBuffer}) runs to its end on the loop's thread.
 */
final class HeadBuilder {

    private byte[] bytes = new byte[1024];
    private int length;

    /** Starts a new head. */
    HeadBuilder reset() {
        length = 0;
        return this;
    }

    HeadBuilder append(byte[] src) {
        return append(src, 0, src.length);
    }

    HeadBuilder append(byte[] src, int offset, int count) {
        ensure(count);
        System.arraycopy(src, offset, bytes, length, count);
        length += count;
        return this;
    }

    /** Appends {@code text} as ISO-8859-1, which gives back the bytes a decoder read as such. */
    HeadBuilder append(CharSequence text) {
        int count = text.length();
        if (text instanceof AsciiString ascii) {
            return append(ascii.array(), ascii.arrayOffset(), count);
        }
        ensure(count);
        byte[] b = bytes;
        int at = length;
        for (int i = 0; i < count; i++) {
            char c = text.charAt(i);
            b[at + i] = c > 0xff ? (byte) '?' : (byte) c;
        }
        length += count;
        return this;
    }

    /** Bytes appended since the last {@link #reset()}. */
    int length() {
        return length;
    }

    /**
     * Writes the head over {@code buf[index, index + length())} and returns a retained slice of it
     * and of the {@code more} bytes after it: for a head that replaces bytes already read from
     * {@code buf}, no new buffer.
     */
    ByteBuf writeOver(ByteBuf buf, int index, int more) {
        buf.setBytes(index, bytes, 0, length);
        return buf.retainedSlice(index, length + more);
    }

    /** The head so far in a new buffer with room for {@code slack} more bytes. */
    ByteBuf toBuffer(ByteBufAllocator alloc, int slack) {
        return alloc.buffer(length + slack).writeBytes(bytes, 0, length);
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
