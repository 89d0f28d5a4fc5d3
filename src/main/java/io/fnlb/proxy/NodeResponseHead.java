package io.fnlb.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A node's response head as {@link NodeResponseDecoder} hands it on: what the proxy must know
 * about it, and the head itself as bytes ready for the client.
 *
 * <p>{@link #content()} holds the status line (always written {@code HTTP/1.1}; see
 * {@link #setHttp10()}), the node's header lines as the node sent them, each ending in CRLF,
 * minus hop-by-hop headers, {@code Transfer-Encoding} and {@code XXX-FXLB-WAIT}, and the blank
 * line: a whole head, to which the exchange may add lines ({@link #withHeader}).
 *
 * <p>The head is usually a slice of the buffer the node's response was read into, written over
 * the node's own head ({@link NodeResponseDecoder}); it holds that buffer until released. For a
 * length-delimited body the slice may go on into the body read with the head:
 * {@link #bodyBytes()} of them, which the client gets with the head in one write.
 */
final class NodeResponseHead extends DefaultByteBufHolder {

    /** How the node delimits the body that follows this head. */
    enum Framing {
        /** No body: a 1xx, 204 or 304, or the answer to a HEAD. */
        NONE,
        /** {@code Content-Length} bytes; the header is among the forwarded lines. */
        LENGTH,
        /** {@code Transfer-Encoding: chunked}; the decoder hands on the data without the chunk framing. */
        CHUNKED,
        /** Neither: the body ends when the node closes the connection. */
        UNTIL_CLOSE
    }

    private static final int VERSION_MINOR_INDEX = "HTTP/1.".length();
    private static final byte[] CRLF = {'\r', '\n'};

    /** Room left for more lines when a head is copied to take a line ({@link #withHeader}). */
    private static final int ADDED_LINES_ROOM = 64;

    private final int status;
    private final boolean keepAlive;
    private final Framing framing;
    private final String wait;
    private final int bodyBytes;

    NodeResponseHead(ByteBuf head, int status, boolean keepAlive, Framing framing, String wait) {
        this(head, status, keepAlive, framing, wait, 0);
    }

    /** {@code bytes}: the head and, at its end, {@code bodyBytes} bytes of the body that follows it. */
    NodeResponseHead(ByteBuf bytes, int status, boolean keepAlive, Framing framing, String wait, int bodyBytes) {
        super(bytes);
        this.status = status;
        this.keepAlive = keepAlive;
        this.framing = framing;
        this.wait = wait;
        this.bodyBytes = bodyBytes;
    }

    /** The status code, 100 to 599. */
    int status() {
        return status;
    }

    /** 1xx other than 101: a final response follows on the same exchange. */
    boolean interim() {
        return isInterim(status);
    }

    /** Whether {@code status} is an interim one: 1xx other than 101 (Switching Protocols). */
    static boolean isInterim(int status) {
        return status < 200 && status != 101;
    }

    /** The node keeps the connection open after this response (and its framing allows reuse). */
    boolean keepAlive() {
        return keepAlive;
    }

    Framing framing() {
        return framing;
    }

    /** The {@code XXX-FXLB-WAIT} value the node sent, or null. */
    String waitHeader() {
        return wait;
    }

    /** How many bytes at the end of {@link #content()} are body, not head (only with {@link Framing#LENGTH}). */
    int bodyBytes() {
        return bodyBytes;
    }

    /** Makes the status line say {@code HTTP/1.0}, for a client that spoke HTTP/1.0. */
    void setHttp10() {
        content().setByte(content().readerIndex() + VERSION_MINOR_INDEX, '0');
    }

    /**
     * This head with one more header line before the blank line; {@code line} is
     * {@code name: value} without the CRLF. A head still in the node's read buffer has no room
     * after it: the first line added moves it into a new head with a buffer of its own and room
     * for more, and this one is released; so does a line added to a head that carries body bytes,
     * which follow the new line in the new buffer. Use the head returned.
     */
    NodeResponseHead withHeader(byte[] line) {
        ByteBuf bytes = content();
        if (bodyBytes > 0) {
            int headEnd = bytes.readerIndex() + bytes.readableBytes() - bodyBytes;
            ByteBuf moved = bytes.alloc().buffer(bytes.readableBytes() + line.length + CRLF.length)
                    .writeBytes(bytes, bytes.readerIndex(), headEnd - CRLF.length - bytes.readerIndex())
                    .writeBytes(line).writeBytes(CRLF).writeBytes(CRLF)
                    .writeBytes(bytes, headEnd, bodyBytes);
            release();
            return new NodeResponseHead(moved, status, keepAlive, framing, wait, bodyBytes);
        }
        NodeResponseHead head = this;
        if (bytes.writableBytes() < line.length + CRLF.length) {
            bytes = bytes.alloc().buffer(bytes.readableBytes() + line.length + CRLF.length + ADDED_LINES_ROOM)
                    .writeBytes(bytes, bytes.readerIndex(), bytes.readableBytes());
            head = new NodeResponseHead(bytes, status, keepAlive, framing, wait);
            release();
        }
        // Over the blank line, then the blank line again.
        bytes.writerIndex(bytes.writerIndex() - CRLF.length);
        bytes.writeBytes(line).writeBytes(CRLF).writeBytes(CRLF);
        return head;
    }
}
