package io.fnlb.proxy;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast path of the client codec reads exactly what Netty's request decoder reads, or declines
 * and consumes nothing: each head here goes through both, and the results are compared field by
 * field. The codec tests at the end check the hand-over between the two on one connection.
 */
class BodilessRequestReaderTest {

    private final BodilessRequestReader reader = new BodilessRequestReader(config());

    /** The decoder configuration fnlb runs with, at its default limits. */
    private static HttpDecoderConfig config() {
        return ProxyLimits.defaults().requestDecoderConfig();
    }

    /** What Netty's own decoder makes of {@code bytes}: each message as text, bodies as their bytes. */
    private static List<String> netty(String bytes) {
        return netty(bytes, false);
    }

    private static List<String> netty(String bytes, boolean byteByByte) {
        return decodeAll(new EmbeddedChannel(new HttpRequestDecoder(config())), bytes, byteByByte);
    }

    private static List<String> codec(String bytes, boolean byteByByte) {
        return decodeAll(new EmbeddedChannel(new ClientCodec(config())), bytes, byteByByte);
    }

    /** Feeds {@code bytes} to {@code channel} at once or a byte at a time, and describes what came out. */
    private static List<String> decodeAll(EmbeddedChannel channel, String bytes, boolean byteByByte) {
        if (byteByByte) {
            for (int i = 0; i < bytes.length(); i++) {
                channel.writeInbound(Unpooled.copiedBuffer(bytes.substring(i, i + 1), ISO_8859_1));
            }
        } else {
            channel.writeInbound(Unpooled.copiedBuffer(bytes, ISO_8859_1));
        }
        List<String> messages = new ArrayList<>();
        for (Object msg = channel.readInbound(); msg != null; msg = channel.readInbound()) {
            messages.add(describe(msg));
            ReferenceCountUtil.release(msg);
        }
        channel.finishAndReleaseAll();
        return messages;
    }

    private static String describe(Object msg) {
        StringBuilder text = new StringBuilder();
        if (msg instanceof HttpRequest request) {
            text.append(request.method()).append(' ').append(request.uri()).append(' ').append(request.protocolVersion())
                    .append(' ').append(request.decoderResult().isSuccess() ? "ok" : "failed");
            for (Map.Entry<String, String> header : request.headers()) {
                text.append(" [").append(header.getKey()).append("=").append(header.getValue()).append(']');
            }
        }
        if (msg instanceof HttpContent content) {
            text.append(msg instanceof LastHttpContent ? "last:" : "content:").append(content.content().toString(ISO_8859_1));
        }
        return text.toString();
    }

    /** The request the reader made of {@code head}, checked to have consumed the head and nothing after it. */
    private HttpRequest readWhole(String head) {
        ByteBuf in = Unpooled.copiedBuffer(head + "NEXT", ISO_8859_1);
        try {
            HttpRequest request = reader.read(in);
            assertThat(request).as("read %s", head).isNotNull();
            assertThat(in.toString(ISO_8859_1)).isEqualTo("NEXT");
            return request;
        } finally {
            in.release();
        }
    }

    private void assertDeclined(String bytes) {
        ByteBuf in = Unpooled.copiedBuffer(bytes, ISO_8859_1);
        try {
            assertThat(reader.read(in)).as("read %s", bytes).isNull();
            assertThat(in.readerIndex()).isZero();
        } finally {
            in.release();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /r/app/f3 HTTP/1.1\r\nHost: 127.0.0.1:18081\r\n\r\n",
        "GET / HTTP/1.1\r\n\r\n",
        "HEAD /r/a?x=1&y=%20 HTTP/1.0\r\nhost: a\r\n\r\n",
        "DELETE /r/a HTTP/1.1\r\nHost:a\r\nX-Empty:\r\nX-Spaces:   \t \r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
        "POST /r/a HTTP/1.1\r\nHost: a\r\nX-Trim: \t v a l \t \r\n\r\n",
        "PUT /r/a HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, close\r\nAccept: */*\r\n\r\n",
        "PATCH /r/a HTTP/1.1\r\nHost: a\r\nUser-Agent: curl/8\r\nX-Obs: caf\u00e9\r\nX-Dup: 1\r\nX-Dup: 2\r\n\r\n",
        "GET /r/a HTTP/1.1\r\nX-Forwarded-For: 10.0.0.1\r\nContent-Lengthy: 5\r\nExpect: 100-continue\r\n\r\n",
    })
    void aPlainHeadIsReadAsNettyReadsIt(String head) {
        HttpRequest request = readWhole(head);
        List<String> expected = netty(head);
        assertThat(expected).hasSize(2);
        assertThat(describe(request)).isEqualTo(expected.get(0));
        assertThat(expected.get(1)).isEqualTo("last:");
    }

    @Test
    void namesKeepTheirCaseAndValuesTheirInnerSpaces() {
        HttpRequest request = readWhole("GET /r/a HTTP/1.1\r\nHOST: a\r\nx-Custom-Name: one  two\r\n\r\n");
        assertThat(request.headers().names()).containsExactly("HOST", "x-Custom-Name");
        assertThat(request.headers().get("host")).isEqualTo("a");
        assertThat(request.headers().get("X-CUSTOM-NAME")).isEqualTo("one  two");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /r/a HTTP/1.1\r\nHost: a\r\n",                              // head not complete yet
        "GET / HTTP/1.1\r\n\r",                                           // nor here
        "POST /r/a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc",             // bodies are Netty's
        "POST /r/a HTTP/1.1\r\ncontent-LENGTH: 0\r\n\r\n",
        "POST /r/a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "GET /r/a HTTP/1.1\r\nSec-WebSocket-Key1: x\r\nSec-WebSocket-Key2: y\r\n\r\n12345678",
        "get /r/a HTTP/1.1\r\n\r\n",                                      // methods it does not know
        "PROPFIND /r/a HTTP/1.1\r\n\r\n",
        "GETS /r/a HTTP/1.1\r\n\r\n",
        "\r\nGET /r/a HTTP/1.1\r\n\r\n",                                  // empty line first
        "GET  /r/a HTTP/1.1\r\n\r\n",                                     // request line not plain
        "GET /r/a  HTTP/1.1\r\n\r\n",
        "GET\t/r/a HTTP/1.1\r\n\r\n",
        "GET /r/\u00e9 HTTP/1.1\r\n\r\n",
        "GET  HTTP/1.1\r\n\r\n",
        "GET /r/a HTTP/1.2\r\n\r\n",
        "GET /r/a HTTP/2.0\r\n\r\n",
        "GET /r/a HTTP/1.1 \r\n\r\n",
        "GET /r/a HTTP/1.1\n\n",                                          // bare line feeds
        "GET /r/a HTTP/1.1\r\nHost: a\n\r\n",
        "GET /r/a HTTP/1.1\r\nHost : a\r\n\r\n",                          // fields not plain
        "GET /r/a HTTP/1.1\r\n: a\r\n\r\n",
        "GET /r/a HTTP/1.1\r\nHost a\r\n\r\n",
        "GET /r/a HTTP/1.1\r\nX: a\r\n folded\r\n\r\n",
        "GET /r/a HTTP/1.1\r\nX: a\u0001b\r\n\r\n",
        "GET /r/a HTTP/1.1\r\nX: a\u007fb\r\n\r\n",
        "GET /r/a HTTP/1.1\r\nX: a\rb\r\n\r\n",
        "GET /r/a HTTP/1.1\r\nX\u00e9: a\r\n\r\n",
        "GET /\r\n\r\n",
    })
    void anythingElseIsLeftToNetty(String bytes) {
        assertDeclined(bytes);
    }

    @Test
    void headsLongerThanTheScratchSpaceAreLeftToNetty() {
        String value = "v".repeat(BodilessRequestReader.SCRATCH);
        assertDeclined("GET /r/a HTTP/1.1\r\nX: " + value + "\r\n\r\n");
        readWhole("GET /r/a HTTP/1.1\r\nX: " + value.substring(0, BodilessRequestReader.SCRATCH - 40) + "\r\n\r\n");
    }

    @Test
    void headsOverTheDecodersLimitsAreLeftToNettyWhichRefusesThem() {
        BodilessRequestReader strict = new BodilessRequestReader(config().setMaxInitialLineLength(20).setMaxHeaderSize(10));
        String longLine = "GET /r/abcdefgh HTTP/1.1\r\n\r\n";       // 24 bytes before CRLF
        String manyHeaders = "GET / HTTP/1.1\r\nX-A: 1\r\nX-B: 12\r\n\r\n"; // 6 + 7 header bytes
        for (String head : List.of(longLine, manyHeaders)) {
            ByteBuf in = Unpooled.copiedBuffer(head, ISO_8859_1);
            assertThat(strict.read(in)).as(head).isNull();
            in.release();
        }
        // 19 bytes of request line, 6 + 4 header bytes: within both limits.
        ByteBuf fits = Unpooled.copiedBuffer("GET /r/abc HTTP/1.1\r\nX-A: 1\r\nX: 1\r\n\r\n", ISO_8859_1);
        assertThat(strict.read(fits)).isNotNull();
        fits.release();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void onOneConnectionTheCodecHandsOverBetweenItsFastPathAndNetty(boolean byteByByte) {
        String stream = "GET /r/one HTTP/1.1\r\nHost: a\r\n\r\n"
                + "POST /r/two HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                + "GET /r/three HTTP/1.1\r\nHost: a\r\n\r\n"
                + "PUT /r/four HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nwxyz"
                + "\r\n"
                + "DELETE /r/five HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n"
                + "GET /r/six HTTP/1.1\r\nHost: a\r\n\r\n";
        List<String> expected = netty(stream, byteByByte);
        assertThat(expected).filteredOn(m -> m.contains(" ok")).hasSize(6);
        assertThat(codec(stream, byteByByte)).isEqualTo(expected);
    }

    @Test
    void aBadRequestAfterAFastOneIsStillRefused() {
        String stream = "GET /r/one HTTP/1.1\r\nHost: a\r\n\r\n"
                + "POST /r/two HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"
                + "GET /r/three HTTP/1.1\r\nHost: a\r\n\r\n";
        List<String> messages = codec(stream, false);
        assertThat(messages).hasSize(3);
        assertThat(messages.get(0)).startsWith("GET /r/one HTTP/1.1 ok");
        assertThat(messages.get(1)).isEqualTo("last:");
        assertThat(messages.get(2)).startsWith("POST /r/two HTTP/1.1 failed");
    }
}
