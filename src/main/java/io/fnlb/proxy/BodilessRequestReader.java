package io.fnlb.proxy;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * The fast path of {@link ClientCodec}: reads a whole request head that announces no body (no
 * {@code Content-Length}, no {@code Transfer-Encoding}), the request of nearly every function call
 * by {@code GET}, and gives the same {@link HttpRequest} Netty's decoder would, for less CPU and
 * memory (Netty's decoder splits the request line into three strings, copies each line into a
 * scratch buffer, and builds its result through validating header maps).
 *
 * <p>It declines, consuming nothing, whatever it is not sure to read exactly as Netty does, and
 * {@link ClientCodec} hands that to Netty's decoder, whose checks and error answers then apply as
 * before: a head not wholly in the buffer, or longer than {@link #SCRATCH} bytes; a method other
 * than the seven common ones; anything but one space between the parts of the request line; a
 * target with a byte outside {@code !..~}; a version other than {@code HTTP/1.1} and
 * {@code HTTP/1.0}; a line not ending in CRLF; a field name that is not a token or not followed
 * by its colon; a control byte in a value; a field that frames a body. So what it accepts is a
 * subset of what Netty accepts, and for that subset the method, target, version and header lines
 * (names as sent, values without surrounding whitespace, in order) are the same.
 *
 * <p>One per event loop ({@link BackendPool#requestReader()}), shared by that loop's client
 * connections: a call runs to its end on the loop's thread, and a connection holds no scratch
 * memory of its own while idle.
 */
final class BodilessRequestReader {

    /** Heads up to this many bytes are read here; longer ones, rare, by Netty's decoder. */
    static final int SCRATCH = 1024;
    /** The shortest head: {@code "GET / HTTP/1.1\r\n\r\n"}. */
    private static final int SHORTEST = 18;
    /** Validation off: names and values were checked here, by the rules Netty's checks apply. */
    private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final HttpMethod[] METHODS = {
        HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.OPTIONS, HttpMethod.PATCH,
    };
    private static final byte[][] METHOD_BYTES = new byte[METHODS.length][];
    /** Names sent so often that they are worth not copying, in the case clients send them. */
    private static final AsciiString[] COMMON_NAMES = {
        AsciiString.cached("Host"), AsciiString.cached("User-Agent"), AsciiString.cached("Accept"),
        AsciiString.cached("Connection"), AsciiString.cached("host"), AsciiString.cached("user-agent"),
        AsciiString.cached("accept"), AsciiString.cached("connection"), AsciiString.cached("Accept-Encoding"),
    };
    /** Names that make a request carry a body (Netty's decoder also reads 8 bytes after an old WebSocket handshake's keys). */
    private static final AsciiString[] BODY_NAMES = {
        AsciiString.cached("content-length"), AsciiString.cached("transfer-encoding"),
        AsciiString.cached("sec-websocket-key1"), AsciiString.cached("sec-websocket-key2"),
    };
    private static final byte[] HTTP_1 = "HTTP/1.".getBytes(US_ASCII);
    /** A request target's bytes here: visible ASCII. */
    private static final boolean[] TARGET = new boolean[256];

    static {
        for (int i = 0; i < METHODS.length; i++) {
            METHOD_BYTES[i] = METHODS[i].name().getBytes(US_ASCII);
        }
        for (int c = '!'; c <= '~'; c++) {
            TARGET[c] = true;
        }
    }

    private final byte[] bytes = new byte[SCRATCH];
    private final int maxInitialLineLength;
    private final int maxHeaderSize;

    /** A reader within the line and header limits of the decoder configured by {@code config}. */
    BodilessRequestReader(HttpDecoderConfig config) {
        this.maxInitialLineLength = config.getMaxInitialLineLength();
        this.maxHeaderSize = config.getMaxHeaderSize();
    }

    /**
     * The bodiless request whose head is at the front of {@code in}, with the head consumed; or
     * null, with nothing consumed, when Netty's decoder must read it.
     */
    HttpRequest read(ByteBuf in) {
        int copied = Math.min(in.readableBytes(), SCRATCH);
        if (copied < SHORTEST) {
            return null;
        }
        byte[] b = bytes;
        in.getBytes(in.readerIndex(), b, 0, copied);
        int length = FieldLineScanner.headLength(b, 0, copied);
        if (length < 0) {
            return null;
        }
        // From here every scan stops at the head's last line feed at the latest.
        int m = method(b);
        if (m < 0) {
            return null;
        }
        int targetStart = METHOD_BYTES[m].length + 1;
        int targetEnd = targetStart;
        while (TARGET[b[targetEnd] & 0xff]) {
            targetEnd++;
        }
        // The request line's CR, if the line ends in a version; the head's blank line follows it.
        int lineEnd = targetEnd + 1 + HTTP_1.length + 1;
        if (targetEnd == targetStart || b[targetEnd] != ' ' || lineEnd + 3 > length || lineEnd > maxInitialLineLength
                || !startsWith(b, targetEnd + 1, HTTP_1) || b[lineEnd] != '\r' || b[lineEnd + 1] != '\n') {
            return null;
        }
        HttpVersion version = switch (b[lineEnd - 1]) {
            case '1' -> HttpVersion.HTTP_1_1;
            case '0' -> HttpVersion.HTTP_1_0;
            default -> null;
        };
        if (version == null) {
            return null;
        }
        HttpHeaders headers = HEADERS.newHeaders();
        int headerSize = 0;
        int i = lineEnd + 2;
        while (b[i] != '\r') {
            int nameEnd = FieldLineScanner.nameEnd(b, i);
            if (nameEnd == i || b[nameEnd] != ':') {
                return null;
            }
            int valueStart = skipWhitespace(b, nameEnd + 1);
            int end = FieldLineScanner.valueEnd(b, valueStart);
            if (b[end] != '\r' || b[end + 1] != '\n') {
                return null;
            }
            AsciiString name = name(b, i, nameEnd - i);
            if (name == null) {
                return null;
            }
            headerSize += end - i;
            int valueEnd = end;
            while (valueEnd > valueStart && isWhitespace(b[valueEnd - 1])) {
                valueEnd--;
            }
            headers.add(name, ascii(b, valueStart, valueEnd));
            i = end + 2;
        }
        if (b[i + 1] != '\n' || i + 2 != length || headerSize > maxHeaderSize) {
            return null;
        }
        in.skipBytes(length);
        return new DefaultHttpRequest(version, METHODS[m], ascii(b, targetStart, targetEnd), headers);
    }

    /** The index in {@link #METHODS} of the method that starts {@code b}, followed by a space; -1 if none. */
    private static int method(byte[] b) {
        for (int i = 0; i < METHOD_BYTES.length; i++) {
            byte[] name = METHOD_BYTES[i];
            if (b[name.length] == ' ' && startsWith(b, 0, name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The name of the field at {@code b[start, start + length)}, a shared instance for a common one;
     * null for a name that frames a body.
     */
    private static AsciiString name(byte[] b, int start, int length) {
        for (AsciiString common : COMMON_NAMES) {
            if (common.length() == length && startsWith(b, start, common.array())) {
                return common;
            }
        }
        for (AsciiString body : BODY_NAMES) {
            if (FieldLineScanner.nameIs(b, start, length, body)) {
                return null;
            }
        }
        return new AsciiString(b, start, length, true);
    }

    private static boolean startsWith(byte[] b, int start, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (b[start + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int skipWhitespace(byte[] b, int i) {
        while (isWhitespace(b[i])) {
            i++;
        }
        return i;
    }

    private static boolean isWhitespace(byte c) {
        return c == ' ' || c == '\t';
    }

    /** {@code b[start, end)} as ISO-8859-1, as Netty's decoder makes its strings. */
    @SuppressWarnings("deprecation") // String(byte[], hibyte, ...) copies bytes as chars directly, without a decoder
    private static String ascii(byte[] b, int start, int end) {
        return start == end ? "" : new String(b, 0, start, end - start);
    }
}
