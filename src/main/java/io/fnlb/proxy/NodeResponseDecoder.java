package io.fnlb.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The HTTP/1.1 response decoder of a node connection. It reads from a response head only what
 * the proxy acts on (the status, how the body is framed, whether the connection persists, the
 * hop-by-hop headers and {@code XXX-FXLB-WAIT}) and hands on the other header lines as the bytes
 * the node sent, so a response head is copied once instead of being decoded into header objects
 * and encoded again. Netty's HTTP decoding and encoding were 11-13 % of the proxy's CPU samples
 * per small request, about half of it for responses.
 *
 * <p>Out come, in order: a {@link NodeResponseHead}; for a response with a body, the body as
 * {@link ByteBuf} slices of what was read (the chunk framing of a chunked body removed), then a
 * {@link NodeResponseEnd}. A 1xx other than 101 is followed by another head. A response the proxy
 * cannot forward safely comes out as {@link Invalid}, after which all input is dropped: its framing
 * is unknowable, so the connection cannot be trusted with another request.
 *
 * <p>Rejected, where Netty's decoder is lenient: obsolete line folding (RFC 9112 §5.2 lets a proxy
 * answer 502 instead), more than one {@code Content-Length}, a transfer coding other than exactly
 * {@code chunked} (the body is re-framed for the client, so another coding would be lost), a bare
 * CR or other control byte in a line, and a head over {@link #MAX_HEAD_SIZE} bytes. Bare LF line
 * ends are accepted (RFC 9112 §2.2); the client always gets CRLF. A response with both
 * {@code Transfer-Encoding} and {@code Content-Length} is read as chunked without the length, and
 * the connection is not reused after it.
 *
 * <p>Which request a response answers matters (a response to HEAD has no body):
 * {@link #expectResponseTo} is told before each request is sent.
 */
final class NodeResponseDecoder extends ByteToMessageDecoder {

    /** A response the proxy cannot forward, and why. */
    record Invalid(String reason) {
    }

    /** The largest response head, status line included: the node-side limits of the old codec. */
    static final int MAX_HEAD_SIZE = ProxyLimits.DEFAULT_MAX_REQUEST_LINE + ProxyLimits.DEFAULT_MAX_HEADER_SIZE;
    private static final int MAX_CHUNK_SIZE_LINE = 4096;
    /** Bytes copied at first to look for a head's end in: more than most heads, far less than most bodies. */
    private static final int FIRST_COPY = 1024;
    private static final int CLOSE_TOKEN = 1;
    private static final int KEEP_ALIVE_TOKEN = 2;

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] STATUS_LINE_START = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {CR, LF};

    private static final AsciiString CONTENT_LENGTH = AsciiString.cached("content-length");
    private static final AsciiString TRANSFER_ENCODING = AsciiString.cached("transfer-encoding");
    private static final AsciiString CONNECTION = AsciiString.cached("connection");
    private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    private static final AsciiString CLOSE = AsciiString.cached("close");
    private static final AsciiString CHUNKED = AsciiString.cached("chunked");
    private static final int OTHER_FIELD = 0;
    private static final int DROPPED_FIELD = 1;
    private static final int CONTENT_LENGTH_FIELD = 2;
    private static final int TRANSFER_ENCODING_FIELD = 3;
    private static final int CONNECTION_FIELD = 4;
    private static final int WAIT_FIELD = 5;

    /** A header name the decoder acts on, and what it does with it. */
    private record KnownField(AsciiString name, int kind) {
    }

    /**
     * The names the decoder acts on, by length, so that a line's name is compared with one or two
     * of them: hop-by-hop ones (RFC 9110 §7.6.1) are dropped, and so is the wait header, which is
     * for fnlb.
     */
    private static final KnownField[][] KNOWN_BY_LENGTH = knownByLength();

    private enum State { HEAD, LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE, BROKEN }

    private enum Request { OTHER, HEAD, CONNECT }

    private final HeadBuilder headBuilder;
    private State state = State.HEAD;
    private Request request = Request.OTHER;
    private boolean joinBody;
    /** Bytes of the head being read that are in {@link #bytes}, and how many of them were searched for its end. */
    private int copied;
    private int scanned;
    /** Body bytes still to come in the current length-delimited body or chunk. */
    private long remaining;
    private ByteBuf trailers;

    // Per head, reused: the head's bytes, and for each kept header line its start, end and name length.
    private byte[] bytes = new byte[FIRST_COPY];
    private int[] lines = new int[3 * 16];
    private int lineCount;
    private int[] connectionTokens = new int[4];
    private int tokenCount;
    // What the header lines of the head being parsed said.
    private long contentLength;
    private int contentLengthLine;
    private boolean chunked;
    private int connectionTokensSeen;
    private String wait;

    private static KnownField[][] knownByLength() {
        List<KnownField> known = new ArrayList<>();
        for (AsciiString hop : ForwardedHeaders.HOP_BY_HOP) {
            int kind = hop.contentEquals(TRANSFER_ENCODING) ? TRANSFER_ENCODING_FIELD
                    : hop.contentEquals(CONNECTION) ? CONNECTION_FIELD : DROPPED_FIELD;
            known.add(new KnownField(hop, kind));
        }
        known.add(new KnownField(CONTENT_LENGTH, CONTENT_LENGTH_FIELD));
        known.add(new KnownField(Exchange.WAIT_HEADER, WAIT_FIELD));
        int longest = known.stream().mapToInt(k -> k.name().length()).max().orElse(0);
        KnownField[][] table = new KnownField[longest + 1][];
        for (int length = 0; length <= longest; length++) {
            int n = length;
            table[length] = known.stream().filter(k -> k.name().length() == n).toArray(KnownField[]::new);
        }
        return table;
    }

    /** {@code headBuilder}: the event loop's, in which the head for the client is assembled. */
    NodeResponseDecoder(HeadBuilder headBuilder) {
        this.headBuilder = headBuilder;
    }

    /**
     * The next request on this connection has {@code method}; its response is read accordingly.
     * {@code joinBody}: the exchange means to forward the head as it is, so the body bytes read
     * with a length-delimited head may come out in the head's buffer
     * ({@link NodeResponseHead#bodyBytes()}), to go to the client in one write.
     */
    void expectResponseTo(HttpMethod method, boolean joinBody) {
        request = HttpMethod.HEAD.equals(method) ? Request.HEAD
                : HttpMethod.CONNECT.equals(method) ? Request.CONNECT : Request.OTHER;
        this.joinBody = joinBody;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        for (;;) {
            switch (state) {
                case HEAD -> {
                    if (!readHead(ctx, in, out)) {
                        return;
                    }
                }
                case LENGTH, CHUNK_DATA -> {
                    if (!in.isReadable()) {
                        return;
                    }
                    int n = (int) Math.min(in.readableBytes(), remaining);
                    out.add(in.readRetainedSlice(n));
                    remaining -= n;
                    if (remaining == 0) {
                        if (state == State.LENGTH) {
                            endBody(out, NodeResponseEnd.NO_TRAILERS);
                        } else {
                            state = State.CHUNK_END;
                        }
                    }
                }
                case CHUNK_SIZE -> {
                    if (!readChunkSize(in, out)) {
                        return;
                    }
                }
                case CHUNK_END -> {
                    if (!readChunkEnd(in, out)) {
                        return;
                    }
                }
                case TRAILERS -> {
                    if (!readTrailers(ctx, in, out)) {
                        return;
                    }
                }
                case UNTIL_CLOSE -> {
                    if (in.isReadable()) {
                        out.add(in.readRetainedSlice(in.readableBytes()));
                    }
                    return;
                }
                case BROKEN -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case UNTIL_CLOSE -> {
                // The node's close is the end of this body.
                if (in.isReadable()) {
                    out.add(in.readRetainedSlice(in.readableBytes()));
                }
                endBody(out, NodeResponseEnd.NO_TRAILERS);
            }
            case HEAD -> {
                if (in.isReadable()) {
                    fail(in, out, "the connection closed in the middle of the response head");
                }
            }
            default -> {
                // A truncated body: the exchange sees the connection close and ends the client's.
                in.skipBytes(in.readableBytes());
            }
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releaseTrailers();
    }

    private void endBody(List<Object> out, NodeResponseEnd end) {
        out.add(end);
        state = State.HEAD;
        request = Request.OTHER;
        joinBody = false;
    }

    private void fail(ByteBuf in, List<Object> out, String reason) {
        releaseTrailers();
        copied = 0;
        scanned = 0;
        in.skipBytes(in.readableBytes());
        state = State.BROKEN;
        out.add(new Invalid(reason));
    }

    private void releaseTrailers() {
        if (trailers != null) {
            trailers.release();
            trailers = null;
        }
    }

    // ---- the head ---------------------------------------------------------------------------

    /**
     * Reads one head if all of it is here; false when more bytes are needed (or the input is broken).
     * The head is copied into {@link #bytes} and searched for its end there, a part at a time, so
     * that neither a large body behind a small head nor a head that arrives in many pieces is
     * copied more than about twice.
     */
    private boolean readHead(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int headStart = in.readerIndex();
        int readable = in.readableBytes();
        int length;
        while ((length = FieldLineScanner.headLength(bytes, scanned, copied)) < 0) {
            scanned = copied;
            if (copied > MAX_HEAD_SIZE) {
                fail(in, out, "response head larger than " + MAX_HEAD_SIZE + " bytes");
                return false;
            }
            if (copied == readable) {
                return false;
            }
            int want = Math.min(readable, Math.min(MAX_HEAD_SIZE + 1, Math.max(FIRST_COPY, 2 * copied)));
            if (bytes.length < want) {
                bytes = Arrays.copyOf(bytes, Math.max(want, 2 * bytes.length));
            }
            in.getBytes(headStart + copied, bytes, copied, want - copied);
            copied = want;
        }
        scanned = 0;
        copied = 0;
        if (length > MAX_HEAD_SIZE) {
            fail(in, out, "response head larger than " + MAX_HEAD_SIZE + " bytes");
            return false;
        }
        in.skipBytes(length);
        String problem = parseHead(ctx, in, headStart, length, out);
        if (problem != null) {
            fail(in, out, problem);
            return false;
        }
        return true;
    }

    /**
     * Parses the whole head at the front of {@code bytes}, read from {@code in[headStart, headStart + length)};
     * emits it, or returns why it cannot be forwarded.
     */
    private String parseHead(ChannelHandlerContext ctx, ByteBuf in, int headStart, int length, List<Object> out) {
        byte[] b = bytes;
        int statusEnd = lineEnd(b, 0);
        if (statusEnd < 0) {
            return "invalid status line";
        }
        // HTTP-version SP 3DIGIT [SP reason-phrase]; RFC 9112 §4 makes the reason optional.
        if (statusEnd < 12 || !startsWithHttp1(b) || (b[7] != '0' && b[7] != '1') || b[8] != ' '
                || !isDigit(b[9]) || !isDigit(b[10]) || !isDigit(b[11]) || (statusEnd > 12 && b[12] != ' ')
                || !FieldLineScanner.isValue(b, 13, statusEnd)) {
            return "invalid status line";
        }
        boolean http11 = b[7] == '1';
        int status = (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
        if (status < 100 || status > 599) {
            return "invalid status code " + status;
        }

        String problem = readHeaderLines(b, nextLine(b, statusEnd));
        if (problem != null) {
            return problem;
        }
        boolean keepAlive = (connectionTokensSeen & CLOSE_TOKEN) == 0
                && (http11 || (connectionTokensSeen & KEEP_ALIVE_TOKEN) != 0);
        String wait = this.wait;
        this.wait = null;
        NodeResponseHead.Framing framing;
        boolean interim = NodeResponseHead.isInterim(status);
        if (interim || status == 101 || status == 204 || status == 304 || request == Request.HEAD
                || request == Request.CONNECT && status < 300) {
            framing = NodeResponseHead.Framing.NONE;
            // After 101, or a tunnel's 2xx, the bytes are no longer HTTP: the connection is not pooled.
            keepAlive &= status != 101 && !(request == Request.CONNECT && status >= 200);
        } else if (chunked) {
            framing = NodeResponseHead.Framing.CHUNKED;
            if (contentLengthLine >= 0) {
                // RFC 9112 §6.3: chunked wins, the length must not be forwarded, and such a
                // message may be an attempt at response splitting: do not reuse the connection.
                lines[3 * contentLengthLine] = -1;
                keepAlive = false;
            }
        } else if (contentLength >= 0) {
            framing = NodeResponseHead.Framing.LENGTH;
        } else {
            framing = NodeResponseHead.Framing.UNTIL_CLOSE;
            keepAlive = false;
        }
        if (tokenCount > 0) {
            dropConnectionNamedLines(b);
        }

        int headSize = buildHead(b, statusEnd);
        ByteBuf headBytes;
        int joined = 0;
        if (headSize <= length && !in.isReadOnly()) {
            // Over the node's head, ending where the body starts: one buffer fewer per response,
            // and the body bytes read with the head can go out with it.
            if (framing == NodeResponseHead.Framing.LENGTH && joinBody) {
                joined = (int) Math.min(contentLength, in.readableBytes());
            }
            headBytes = headBuilder.writeOver(in, headStart + length - headSize, joined);
            in.skipBytes(joined);
        } else {
            headBytes = headBuilder.toBuffer(ctx.alloc(), 0);
        }
        out.add(new NodeResponseHead(headBytes, status, keepAlive, framing, wait, joined));
        switch (framing) {
            case NONE -> {
                if (!interim) {
                    request = Request.OTHER;
                    joinBody = false;
                }
            }
            case LENGTH -> {
                remaining = contentLength - joined;
                state = State.LENGTH;
                if (remaining == 0) {
                    endBody(out, NodeResponseEnd.NO_TRAILERS);
                }
            }
            case CHUNKED -> state = State.CHUNK_SIZE;
            case UNTIL_CLOSE -> state = State.UNTIL_CLOSE;
            default -> throw new IllegalStateException(framing.name());
        }
        return null;
    }

    /**
     * Reads the header lines from {@code from} to the blank line into this decoder's per-head state;
     * returns why the head cannot be forwarded, or null. Kept apart from {@link #parseHead}, and
     * each line in {@link #readHeaderLine}, so that C2 compiles three small methods rather than
     * one large one (a single compilation of it all took 24 MB of compiler memory).
     */
    private String readHeaderLines(byte[] b, int from) {
        lineCount = 0;
        tokenCount = 0;
        contentLength = -1;
        contentLengthLine = -1;
        chunked = false;
        connectionTokensSeen = 0;
        wait = null;
        int i = from;
        for (;;) {
            // The well-formed line in one pass over its name and one over its value; anything
            // else goes to the line-by-line checks, which say what is wrong with it.
            int colon = FieldLineScanner.nameEnd(b, i);
            if (colon > i && b[colon] == ':') {
                int end = FieldLineScanner.valueEnd(b, colon + 1);
                if (b[end] == LF || b[end] == CR && b[end + 1] == LF) {
                    String problem = readHeaderLine(b, i, colon, end);
                    if (problem != null) {
                        return problem;
                    }
                    i = nextLine(b, end);
                    continue;
                }
            } else if (colon == i && (b[i] == LF || b[i] == CR && b[i + 1] == LF)) {
                return null;
            }
            return lineProblem(b, i);
        }
    }

    /** Why the line at {@code i}, which is not a well-formed field line, cannot be forwarded. */
    private static String lineProblem(byte[] b, int i) {
        int end = lineEnd(b, i);
        if (end < 0) {
            return "bare CR in the response head";
        }
        String problem = fieldProblem(b, i, colon(b, i, end), end);
        return problem != null ? problem : "invalid header line";
    }

    /** One well-formed header line, {@code b[start, end)} without its line end, its colon at {@code colon}. */
    private String readHeaderLine(byte[] b, int start, int colon, int end) {
        int valueStart = colon + 1;
        int valueEnd = end;
        while (valueStart < valueEnd && (b[valueStart] == ' ' || b[valueStart] == '\t')) {
            valueStart++;
        }
        while (valueEnd > valueStart && (b[valueEnd - 1] == ' ' || b[valueEnd - 1] == '\t')) {
            valueEnd--;
        }
        int nameLength = colon - start;
        switch (kindOf(b, start, nameLength)) {
            case CONTENT_LENGTH_FIELD -> {
                if (contentLength >= 0) {
                    return "more than one Content-Length";
                }
                contentLength = parseLength(b, valueStart, valueEnd);
                if (contentLength < 0) {
                    return "invalid Content-Length";
                }
                contentLengthLine = lineCount;
                keepLine(start, end, nameLength);
            }
            case TRANSFER_ENCODING_FIELD -> {
                if (chunked || !FieldLineScanner.nameIs(b, valueStart, valueEnd - valueStart, CHUNKED)) {
                    return "Transfer-Encoding other than chunked";
                }
                chunked = true;
            }
            case CONNECTION_FIELD -> connectionTokensSeen |= readConnectionTokens(b, valueStart, valueEnd);
            case WAIT_FIELD -> wait = new String(b, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1);
            case DROPPED_FIELD -> {
                // Hop-by-hop: not forwarded.
            }
            default -> keepLine(start, end, nameLength);
        }
        return null;
    }

    /** What {@code b[start, start + length)} names, from the table of names the decoder acts on. */
    private static int kindOf(byte[] b, int start, int length) {
        if (length >= KNOWN_BY_LENGTH.length) {
            return OTHER_FIELD;
        }
        for (KnownField known : KNOWN_BY_LENGTH[length]) {
            if (FieldLineScanner.nameIs(b, start, length, known.name())) {
                return known.kind();
            }
        }
        return OTHER_FIELD;
    }

    /**
     * Assembles the head for the client in {@link #headBuilder}: the status line as {@code HTTP/1.1},
     * the kept header lines and the blank line, each with CRLF; returns its length. It is
     * written over the node's head in the read buffer, which it never outgrows unless the node
     * ended lines with a bare LF.
     */
    private int buildHead(byte[] b, int statusEnd) {
        HeadBuilder head = headBuilder.reset().append(STATUS_LINE_START).append(b, 9, statusEnd - 9).append(CRLF);
        int[] l = lines;
        for (int k = 0; k < lineCount; k++) {
            int start = l[3 * k];
            if (start >= 0) {
                head.append(b, start, l[3 * k + 1] - start).append(CRLF);
            }
        }
        head.append(CRLF);
        return head.length();
    }

    private void keepLine(int start, int end, int nameLength) {
        if (lines.length < 3 * (lineCount + 1)) {
            lines = Arrays.copyOf(lines, lines.length * 2);
        }
        lines[3 * lineCount] = start;
        lines[3 * lineCount + 1] = end;
        lines[3 * lineCount + 2] = nameLength;
        lineCount++;
    }

    /**
     * Reads a {@code Connection} value's tokens: returns which of {@link #CLOSE_TOKEN} and
     * {@link #KEEP_ALIVE_TOKEN} were among them, and keeps the others, which name headers that are
     * hop-by-hop for this response, for {@link #dropConnectionNamedLines}.
     */
    private int readConnectionTokens(byte[] b, int start, int end) {
        int seen = 0;
        int i = start;
        while (i < end) {
            int tokenEnd = i;
            while (tokenEnd < end && b[tokenEnd] != ',') {
                tokenEnd++;
            }
            int s = i;
            int e = tokenEnd;
            while (s < e && (b[s] == ' ' || b[s] == '\t')) {
                s++;
            }
            while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
                e--;
            }
            if (FieldLineScanner.nameIs(b, s, e - s, CLOSE)) {
                seen |= CLOSE_TOKEN;
            } else if (FieldLineScanner.nameIs(b, s, e - s, KEEP_ALIVE)) {
                seen |= KEEP_ALIVE_TOKEN;
            } else if (e > s) {
                if (connectionTokens.length < 2 * (tokenCount + 1)) {
                    connectionTokens = Arrays.copyOf(connectionTokens, connectionTokens.length * 2);
                }
                connectionTokens[2 * tokenCount] = s;
                connectionTokens[2 * tokenCount + 1] = e - s;
                tokenCount++;
            }
            i = tokenEnd + 1;
        }
        return seen;
    }

    /** Drops the kept lines whose name a {@code Connection} token listed (RFC 9110 §7.6.1). */
    private void dropConnectionNamedLines(byte[] b) {
        int[] l = lines;
        for (int k = 0; k < lineCount; k++) {
            int start = l[3 * k];
            if (start < 0) {
                continue;
            }
            for (int t = 0; t < tokenCount; t++) {
                if (sameIgnoringCase(b, start, l[3 * k + 2], connectionTokens[2 * t], connectionTokens[2 * t + 1])) {
                    l[3 * k] = -1;
                    break;
                }
            }
        }
    }

    // ---- chunked bodies ---------------------------------------------------------------------

    /** Reads a chunk-size line: hex digits, then extensions, which are ignored. */
    private boolean readChunkSize(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int lf = in.indexOf(start, Math.min(in.writerIndex(), start + MAX_CHUNK_SIZE_LINE), LF);
        if (lf < 0) {
            if (in.readableBytes() >= MAX_CHUNK_SIZE_LINE) {
                fail(in, out, "chunk size line longer than " + MAX_CHUNK_SIZE_LINE + " bytes");
            }
            return false;
        }
        long size = 0;
        int i = start;
        for (; i < lf; i++) {
            int digit = Character.digit(in.getByte(i), 16);
            if (digit < 0) {
                break;
            }
            if (size > (Long.MAX_VALUE >> 4)) {
                fail(in, out, "chunk size too large");
                return false;
            }
            size = size << 4 | digit;
        }
        byte next = in.getByte(i);
        if (i == start || (next != ';' && next != ' ' && next != '\t' && next != CR && next != LF)) {
            fail(in, out, "invalid chunk size");
            return false;
        }
        in.readerIndex(lf + 1);
        if (size == 0) {
            state = State.TRAILERS;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
        return true;
    }

    /** Reads the CRLF after a chunk's data. */
    private boolean readChunkEnd(ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return false;
        }
        int i = in.readerIndex();
        byte first = in.getByte(i);
        if (first == LF) {
            in.skipBytes(1);
        } else if (first == CR) {
            if (in.readableBytes() < 2) {
                return false;
            }
            if (in.getByte(i + 1) != LF) {
                fail(in, out, "chunk data not followed by CRLF");
                return false;
            }
            in.skipBytes(2);
        } else {
            fail(in, out, "chunk data not followed by CRLF");
            return false;
        }
        state = State.CHUNK_SIZE;
        return true;
    }

    /** Reads trailer lines up to the blank line that ends a chunked body; keeps them as sent, with CRLF. */
    private boolean readTrailers(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        for (;;) {
            int start = in.readerIndex();
            int lf = in.indexOf(start, in.writerIndex(), LF);
            if (lf < 0) {
                if (in.readableBytes() + (trailers == null ? 0 : trailers.readableBytes()) > MAX_HEAD_SIZE) {
                    fail(in, out, "trailers larger than " + MAX_HEAD_SIZE + " bytes");
                }
                return false;
            }
            int end = lf > start && in.getByte(lf - 1) == CR ? lf - 1 : lf;
            if (end == start) {
                in.readerIndex(lf + 1);
                ByteBuf fields = trailers;
                trailers = null;
                endBody(out, fields == null ? NodeResponseEnd.NO_TRAILERS : new NodeResponseEnd(fields));
                return true;
            }
            int length = end - start;
            if ((trailers == null ? 0 : trailers.readableBytes()) + length > MAX_HEAD_SIZE) {
                fail(in, out, "trailers larger than " + MAX_HEAD_SIZE + " bytes");
                return false;
            }
            // Checked by the rules of a head's lines, on a copy in the head's array.
            if (bytes.length < length) {
                bytes = new byte[Math.max(length, bytes.length * 2)];
            }
            in.getBytes(start, bytes, 0, length);
            if (fieldProblem(bytes, 0, colon(bytes, 0, length), length) != null) {
                fail(in, out, "invalid trailer line");
                return false;
            }
            if (trailers == null) {
                trailers = ctx.alloc().buffer(length + 2);
            }
            trailers.writeBytes(bytes, 0, length).writeBytes(CRLF);
            in.readerIndex(lf + 1);
        }
    }

    // ---- bytes ------------------------------------------------------------------------------

    /** The end of the line starting at {@code i} (before its CR LF or LF), or -1 for a bare CR in it. */
    private static int lineEnd(byte[] b, int i) {
        int j = i;
        while (b[j] != LF) {
            if (b[j] == CR) {
                return b[j + 1] == LF ? j : -1;
            }
            j++;
        }
        return j;
    }

    private static int nextLine(byte[] b, int lineEnd) {
        return b[lineEnd] == CR ? lineEnd + 2 : lineEnd + 1;
    }

    private static boolean startsWithHttp1(byte[] b) {
        return b[0] == 'H' && b[1] == 'T' && b[2] == 'T' && b[3] == 'P' && b[4] == '/' && b[5] == '1' && b[6] == '.';
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Why the field line {@code b[start, end)} ({@code name: value}, without its line end, its
     * first colon at {@code colon} or -1) cannot be forwarded, or null. Netty's {@code HttpHeaderValidationUtil} checks names and values the
     * same way, on a {@code CharSequence}; these checks run on the head's bytes without wrapping
     * each field in an object.
     */
    private static String fieldProblem(byte[] b, int start, int colon, int end) {
        if (b[start] == ' ' || b[start] == '\t') {
            return "obsolete line folding in the response headers";
        }
        if (colon < 0 || colon == start || !FieldLineScanner.isToken(b, start, colon)) {
            return "invalid header line";
        }
        if (!FieldLineScanner.isValue(b, colon + 1, end)) {
            return "control character in a header value";
        }
        return null;
    }

    /** The first colon in {@code b[start, end)}, or -1. */
    private static int colon(byte[] b, int start, int end) {
        for (int i = start; i < end; i++) {
            if (b[i] == ':') {
                return i;
            }
        }
        return -1;
    }

    /** 1*DIGIT, at most 18 of them; -1 otherwise. */
    private static long parseLength(byte[] b, int start, int end) {
        if (start == end || end - start > 18) {
            return -1;
        }
        long n = 0;
        for (int i = start; i < end; i++) {
            if (!isDigit(b[i])) {
                return -1;
            }
            n = n * 10 + (b[i] - '0');
        }
        return n;
    }

    private static boolean sameIgnoringCase(byte[] b, int start, int length, int otherStart, int otherLength) {
        if (length != otherLength) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (FieldLineScanner.toLower(b[start + i]) != FieldLineScanner.toLower(b[otherStart + i])) {
                return false;
            }
        }
        return true;
    }
}
