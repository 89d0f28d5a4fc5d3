package io.fnlb.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * Header rewriting at the proxy boundary (SPEC §4): hop-by-hop headers are removed in both
 * directions, and requests get {@code X-Forwarded-*}.
 */
final class ForwardedHeaders {

    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    static final AsciiString PROXY_AUTHENTICATE = AsciiString.cached("proxy-authenticate");
    static final AsciiString PROXY_AUTHORIZATION = AsciiString.cached("proxy-authorization");
    private static final AsciiString HTTP = AsciiString.cached("http");
    // Deprecated in Netty as a header name because HTTP/2 forbids it; HTTP/1.1 proxies must still strip it.
    private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");

    private ForwardedHeaders() {
    }

    /**
     * Removes hop-by-hop headers, including any named in {@code Connection}. Chunked framing is a
     * hop-by-hop property too, so callers re-add {@code Transfer-Encoding: chunked} where the next
     * hop needs it.
     */
    static void removeHopByHop(HttpHeaders headers) {
        List<String> connection = headers.getAll(HttpHeaderNames.CONNECTION);
        for (int i = 0; i < connection.size(); i++) {
            for (String token : connection.get(i).split(",")) {
                String name = token.strip();
                if (!name.isEmpty()) {
                    headers.remove(name);
                }
            }
        }
        headers.remove(HttpHeaderNames.CONNECTION);
        headers.remove(KEEP_ALIVE);
        headers.remove(PROXY_CONNECTION);
        headers.remove(PROXY_AUTHENTICATE);
        headers.remove(PROXY_AUTHORIZATION);
        headers.remove(HttpHeaderNames.TE);
        headers.remove(HttpHeaderNames.TRAILER);
        headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        headers.remove(HttpHeaderNames.UPGRADE);
    }

    /** Appends the client to {@code X-Forwarded-For} and sets {@code X-Forwarded-Proto}/{@code -Host}. */
    static void addForwarded(HttpHeaders headers, String clientIp) {
        String prior = headers.get(X_FORWARDED_FOR);
        headers.set(X_FORWARDED_FOR, prior == null || prior.isBlank() ? clientIp : prior + ", " + clientIp);
        headers.set(X_FORWARDED_PROTO, HTTP);
        String host = headers.get(HttpHeaderNames.HOST);
        if (host != null) {
            headers.set(X_FORWARDED_HOST, host);
        } else {
            headers.remove(X_FORWARDED_HOST);
        }
    }

    /** Marks a message as chunked for the next hop. */
    static void setChunked(HttpHeaders headers) {
        headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
}
