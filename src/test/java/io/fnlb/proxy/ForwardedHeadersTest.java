package io.fnlb.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.nodes.NodeAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The head a node gets for a client's request, byte for byte (SPEC §4). */
class ForwardedHeadersTest {

    private static final NodeAddress NODE = NodeAddress.parse("10.0.0.7:8080");

    /** The head as Netty's request decoder hands it to fnlb. */
    private static HttpRequest decoded(String head) {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpRequestDecoder());
        ch.writeInbound(Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1));
        HttpRequest request = ch.readInbound();
        Object rest;
        while ((rest = ch.readInbound()) != null) {
            ReferenceCountUtil.release(rest);
        }
        ch.finishAndReleaseAll();
        return request;
    }

    private static String encode(HttpRequest request, boolean chunked, String clientIp) {
        ByteBuf head = ForwardedHeaders.encodeRequestHead(new HeadBuilder(), ByteBufAllocator.DEFAULT, request, chunked,
                clientIp, NODE);
        try {
            return head.toString(StandardCharsets.ISO_8859_1);
        } finally {
            head.release();
        }
    }

    @Test
    void hopByHopHeadersGoAndTheClientIsAppendedToForwardedFor() {
        HttpRequest request = decoded("GET /r/app/f?x=%20&y=\u00e9 HTTP/1.1\r\nHost: fn.example:8081\r\n"
                + "Connection: keep-alive, X-Private\r\nX-Private: secret\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\n"
                + "Upgrade: h2c\r\nProxy-Authorization: Basic eA==\r\nProxy-Connection: x\r\nX-Forwarded-For: 10.1.2.3\r\n"
                + "X-Forwarded-For: 10.9.9.9\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: evil\r\nX-Kept: Yes\r\n\r\n");
        assertThat(encode(request, false, "127.0.0.1")).isEqualTo("GET /r/app/f?x=%20&y=\u00e9 HTTP/1.1\r\n"
                + "Host: fn.example:8081\r\nX-Kept: Yes\r\n"
                + "x-forwarded-for: 10.1.2.3, 10.9.9.9, 127.0.0.1\r\nx-forwarded-proto: http\r\nx-forwarded-host: fn.example:8081\r\n\r\n");
    }

    @Test
    void anHttp10RequestWithoutHostGoesAsHttp11ToTheNodesAddress() {
        HttpRequest request = decoded("POST /r/app/f HTTP/1.0\r\nContent-Length: 3\r\nX-Forwarded-For:  \r\n\r\nabc");
        assertThat(encode(request, false, "192.0.2.1")).isEqualTo("POST /r/app/f HTTP/1.1\r\nContent-Length: 3\r\n"
                + "host: 10.0.0.7:8080\r\nx-forwarded-for: 192.0.2.1\r\nx-forwarded-proto: http\r\n\r\n");
    }

    @Test
    void aChunkedBodyIsAnnouncedAsChunkedAndNothingElse() {
        HttpRequest request = decoded("PUT /r/app/f HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertThat(encode(request, true, "::1")).isEqualTo("PUT /r/app/f HTTP/1.1\r\nHost: h\r\n"
                + "transfer-encoding: chunked\r\nx-forwarded-for: ::1\r\nx-forwarded-proto: http\r\nx-forwarded-host: h\r\n\r\n");
    }

    @Test
    void trailersAreHeaderLines() {
        HttpHeaders trailers = new DefaultHttpHeaders().add("X-Sum", "abc").add("X-Count", "2");
        ByteBuf lines = ForwardedHeaders.encodeTrailers(new HeadBuilder(), ByteBufAllocator.DEFAULT, trailers);
        assertThat(lines.toString(StandardCharsets.US_ASCII)).isEqualTo("X-Sum: abc\r\nX-Count: 2\r\n");
        lines.release();
        assertThat(ForwardedHeaders.encodeTrailers(new HeadBuilder(), ByteBufAllocator.DEFAULT, new DefaultHttpHeaders())
                .isReadable()).isFalse();
    }
}
