package io.fnlb.proxy;

import io.fnlb.nodes.NodeAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Header rewriting at the proxy boundary (SPEC §4): hop-by-hop headers are removed in both
 * directions, and requests get {@code X-Forwarded-*}.
 *
 * <p>A request goes to its node as {@link #encodeRequestHead}: the head as Netty decoded it,
 * rewritten while it is written into one buffer. The decoded headers are left as they are, so a
 * request sent again to another node is encoded again, for that node, from the same headers.
 * Responses are rewritten by {@link NodeResponseDecoder}, which drops the same {@link #HOP_BY_HOP}
 * names.
 */
final class ForwardedHeaders {

    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");

    /**
     * RFC 9110 §7.6.1 and the proxy headers of RFC 9110 §11.7, plus {@code Transfer-Encoding}:
     * chunked framing is hop-by-hop too, and the proxy sets it where the next hop needs it.
     */
    private static final AsciiString[] HOP_BY_HOP_NAMES = {
        AsciiString.cached("connection"), AsciiString.cached("keep-alive"), AsciiString.cached("proxy-connection"),
        AsciiString.cached("proxy-authenticate"), AsciiString.cached("proxy-authorization"), AsciiString.cached("te"),
        AsciiString.cached("trailer"), AsciiString.cached("transfer-encoding"), AsciiString.cached("upgrade"),
    };
    /** The same names, for {@link NodeResponseDecoder}. */
    static final List<AsciiString> HOP_BY_HOP = List.of(HOP_BY_HOP_NAMES);

    private static final byte[] REQUEST_LINE_END = ascii(" HTTP/1.1\r\n");
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] SEPARATOR = {':', ' '};
    private static final byte[] CHUNKED = ascii("transfer-encoding: chunked\r\n");
    private static final byte[] FORWARDED_FOR = ascii("x-forwarded-for: ");
    private static final byte[] FORWARDED_PROTO_HTTP = ascii("x-forwarded-proto: http\r\n");
    private static final byte[] FORWARDED_HOST = ascii("x-forwarded-host: ");
    private static final byte[] HOST = ascii("host: ");
    private static final byte[] LIST_SEPARATOR = {',', ' '};
    private static final byte[] SPACE = {' '};

    private ForwardedHeaders() {
    }

    /**
     * The head of {@code request} as it goes to {@code node}: always HTTP/1.1, so node
     * connections are kept alive whatever the client speaks; without hop-by-hop headers (and those
     * {@code Connection} names); {@code Transfer-Encoding: chunked} when the body is
     * {@code chunked}; the client appended to the {@code X-Forwarded-For} list; {@code X-Forwarded-Proto}
     * and {@code -Host} set; and {@code Host: node} when the client sent no {@code Host}.
     */
    static ByteBuf encodeRequestHead(HeadBuilder head, ByteBufAllocator alloc, HttpRequest request, boolean chunked,
            String clientIp, NodeAddress node) {
        HttpHeaders headers = request.headers();
        List<String> connection = connectionNamed(headers);
        head.reset().append(request.method().asciiName()).append(SPACE).append(request.uri()).append(REQUEST_LINE_END);
        boolean forwardedFor = false;
        CharSequence host = null;
        Iterator<Map.Entry<CharSequence, CharSequence>> entries = headers.iteratorCharSequence();
        while (entries.hasNext()) {
            Map.Entry<CharSequence, CharSequence> entry = entries.next();
            CharSequence name = entry.getKey();
            if (isHopByHop(name) || (!connection.isEmpty() && namedIn(connection, name))) {
                continue;
            }
            if (X_FORWARDED_FOR.contentEqualsIgnoreCase(name)) {
                forwardedFor = true;
                continue;
            }
            if (X_FORWARDED_PROTO.contentEqualsIgnoreCase(name) || X_FORWARDED_HOST.contentEqualsIgnoreCase(name)) {
                continue;
            }
            if (host == null && HttpHeaderNames.HOST.contentEqualsIgnoreCase(name)) {
                host = entry.getValue();
            }
            appendField(head, name, entry.getValue());
        }
        if (host == null) {
            head.append(HOST).append(node.toString()).append(CRLF);
        }
        if (chunked) {
            head.append(CHUNKED);
        }
        head.append(FORWARDED_FOR);
        if (forwardedFor) {
            // Every X-Forwarded-For line, in order, as one list: what Go's ReverseProxy sends.
            for (String prior : headers.getAll(X_FORWARDED_FOR)) {
                if (!prior.isBlank()) {
                    head.append(prior).append(LIST_SEPARATOR);
                }
            }
        }
        head.append(clientIp).append(CRLF).append(FORWARDED_PROTO_HTTP);
        if (host != null) {
            head.append(FORWARDED_HOST).append(host).append(CRLF);
        }
        return head.append(CRLF).toBuffer(alloc, 0);
    }

    /** The trailer fields of a chunked request body as header lines, or an empty buffer. */
    static ByteBuf encodeTrailers(HeadBuilder head, ByteBufAllocator alloc, HttpHeaders trailers) {
        if (trailers.isEmpty()) {
            return Unpooled.EMPTY_BUFFER;
        }
        head.reset();
        Iterator<Map.Entry<CharSequence, CharSequence>> entries = trailers.iteratorCharSequence();
        while (entries.hasNext()) {
            Map.Entry<CharSequence, CharSequence> entry = entries.next();
            appendField(head, entry.getKey(), entry.getValue());
        }
        return head.toBuffer(alloc, 0);
    }

    private static void appendField(HeadBuilder head, CharSequence name, CharSequence value) {
        head.append(name).append(SEPARATOR).append(value).append(CRLF);
    }

    private static boolean isHopByHop(CharSequence name) {
        for (AsciiString hop : HOP_BY_HOP_NAMES) {
            if (hop.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The header names that {@code Connection} lines list, other than {@code close} and
     * {@code keep-alive}; an empty list, without parsing, when there is no {@code Connection}.
     */
    private static List<String> connectionNamed(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.CONNECTION)) {
            return List.of();
        }
        List<String> named = new ArrayList<>(2);
        for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : value.split(",")) {
                String name = token.strip();
                if (!name.isEmpty() && !"close".equalsIgnoreCase(name) && !"keep-alive".equalsIgnoreCase(name)) {
                    named.add(name);
                }
            }
        }
        return named;
    }

    private static boolean namedIn(List<String> named, CharSequence name) {
        for (int i = 0; i < named.size(); i++) {
            if (AsciiString.contentEqualsIgnoreCase(named.get(i), name)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
