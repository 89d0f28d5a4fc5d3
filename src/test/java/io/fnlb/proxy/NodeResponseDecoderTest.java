package io.fnlb.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the node-side decoder makes of a node's bytes: the head as the client will get it, the
 * framing, and the body; each response also fed one byte at a time, since a head or a chunk size
 * line may arrive in pieces.
 */
class NodeResponseDecoderTest {

    /** What came out of the decoder for one input, with buffers read into strings and released. */
    private record Decoded(List<String> heads, List<NodeResponseHead.Framing> framings, List<Boolean> keepAlive,
            List<Integer> statuses, List<String> waits, String body, List<String> ends, List<String> invalid) {
    }

    private static Decoded decode(HttpMethod method, String input, boolean close, boolean byteByByte) {
        NodeResponseDecoder decoder = new NodeResponseDecoder(new HeadBuilder());
        // As an exchange for an HTTP/1.1 keep-alive client asks: body bytes may share the head's buffer.
        decoder.expectResponseTo(method, true);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        if (byteByByte) {
            for (byte b : bytes) {
                ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            }
        } else {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        }
        if (close) {
            ch.finish();
        }
        List<String> heads = new ArrayList<>();
        List<NodeResponseHead.Framing> framings = new ArrayList<>();
        List<Boolean> keepAlive = new ArrayList<>();
        List<Integer> statuses = new ArrayList<>();
        List<String> waits = new ArrayList<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<String> ends = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        Object msg;
        while ((msg = ch.readInbound()) != null) {
            try {
                switch (msg) {
                    case NodeResponseHead head -> {
                        String joined = head.content().toString(StandardCharsets.ISO_8859_1);
                        int headEnd = joined.length() - head.bodyBytes();
                        heads.add(joined.substring(0, headEnd));
                        body.writeBytes(joined.substring(headEnd).getBytes(StandardCharsets.ISO_8859_1));
                        framings.add(head.framing());
                        keepAlive.add(head.keepAlive());
                        statuses.add(head.status());
                        waits.add(head.waitHeader());
                    }
                    case NodeResponseEnd end -> ends.add(end.content().toString(StandardCharsets.ISO_8859_1));
                    case ByteBuf data -> {
                        assertThat(data.isReadable()).as("no empty body pieces").isTrue();
                        byte[] piece = new byte[data.readableBytes()];
                        data.readBytes(piece);
                        body.writeBytes(piece);
                    }
                    case NodeResponseDecoder.Invalid bad -> invalid.add(bad.reason());
                    default -> throw new AssertionError("unexpected " + msg);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
        ch.finishAndReleaseAll();
        return new Decoded(heads, framings, keepAlive, statuses, waits, body.toString(StandardCharsets.ISO_8859_1),
                ends, invalid);
    }

    /** Decodes whole and byte by byte; both must give the same. */
    private static Decoded decode(HttpMethod method, String input, boolean close) {
        Decoded whole = decode(method, input, close, false);
        Decoded pieces = decode(method, input, close, true);
        assertThat(pieces).as("byte by byte").isEqualTo(whole);
        return whole;
    }

    @Test
    void lengthDelimitedResponseKeepsTheNodesLinesAndDropsHopByHopOnes() {
        Decoded d = decode(HttpMethod.GET, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: keep-alive, X-Private\r\n"
                + "X-Private: secret\r\nKeep-Alive: timeout=5\r\nXXX-FXLB-WAIT: 12ms\r\nProxy-Connection: x\r\n"
                + "Upgrade: h2c\r\nTrailer: X-Sum\r\nx-custom:  Mixed Case \t\r\nContent-Length: 5\r\n\r\nhello", false);
        assertThat(d.heads()).containsExactly("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                + "x-custom:  Mixed Case \t\r\nContent-Length: 5\r\n\r\n");
        assertThat(d.framings()).containsExactly(NodeResponseHead.Framing.LENGTH);
        assertThat(d.keepAlive()).containsExactly(true);
        assertThat(d.waits()).containsExactly("12ms");
        assertThat(d.body()).isEqualTo("hello");
        assertThat(d.ends()).containsExactly("");
        assertThat(d.invalid()).isEmpty();
    }

    @Test
    void bareLineFeedsAreAcceptedAndTheClientGetsCrlf() {
        Decoded d = decode(HttpMethod.GET, "HTTP/1.1 404 Not Found\nA: 1\ncontent-length: 2\n\nno", false);
        assertThat(d.heads()).containsExactly("HTTP/1.1 404 Not Found\r\nA: 1\r\ncontent-length: 2\r\n\r\n");
        assertThat(d.statuses()).containsExactly(404);
        assertThat(d.body()).isEqualTo("no");
        assertThat(d.ends()).hasSize(1);
    }

    @Test
    void statusLineWithoutReasonAndAnHttp10Node() {
        Decoded d = decode(HttpMethod.GET, "HTTP/1.0 200\r\nContent-Length: 0\r\n\r\n", false);
        assertThat(d.heads()).containsExactly("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n");
        assertThat(d.keepAlive()).as("HTTP/1.0 closes unless it says keep-alive").containsExactly(false);
        assertThat(d.ends()).containsExactly("");

        Decoded kept = decode(HttpMethod.GET, "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", false);
        assertThat(kept.keepAlive()).containsExactly(true);
        assertThat(kept.heads()).containsExactly("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    }

    @Test
    void connectionCloseEndsReuse() {
        Decoded d = decode(HttpMethod.GET, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx", false);
        assertThat(d.keepAlive()).containsExactly(false);
        assertThat(d.heads()).containsExactly("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n");
    }

    @Test
    void chunkedBodyLosesItsFramingAndKeepsItsTrailers() {
        Decoded d = decode(HttpMethod.POST, "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\nA \r\n, world!!!\r\n0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n", false);
        assertThat(d.heads()).containsExactly("HTTP/1.1 200 OK\r\n\r\n");
        assertThat(d.framings()).containsExactly(NodeResponseHead.Framing.CHUNKED);
        assertThat(d.keepAlive()).containsExactly(true);
        assertThat(d.body()).isEqualTo("hello, world!!!");
        assertThat(d.ends()).containsExactly("X-Checksum: abc\r\nX-Other: 1\r\n");
    }

    @Test
    void chunkedWinsOverContentLengthAndTheConnectionIsNotReused() {
        Decoded d = decode(HttpMethod.GET, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n0\r\n\r\n", false);
        assertThat(d.heads()).containsExactly("HTTP/1.1 200 OK\r\n\r\n");
        assertThat(d.framings()).containsExactly(NodeResponseHead.Framing.CHUNKED);
        assertThat(d.keepAlive()).containsExactly(false);
        assertThat(d.body()).isEqualTo("abc");
        assertThat(d.ends()).containsExactly("");
    }

    @Test
    void bodyWithoutLengthEndsWhenTheNodeCloses() {
        Decoded d = decode(HttpMethod.GET, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end", true);
        assertThat(d.framings()).containsExactly(NodeResponseHead.Framing.UNTIL_CLOSE);
        assertThat(d.keepAlive()).containsExactly(false);
        assertThat(d.body()).isEqualTo("until the end");
        assertThat(d.ends()).containsExactly("");

        Decoded open = decode(HttpMethod.GET, "HTTP/1.1 200 OK\r\n\r\nstill coming", false);
        assertThat(open.body()).isEqualTo("still coming");
        assertThat(open.ends()).as("no end before the close").isEmpty();
    }

    @Test
    void answersToHeadAnd204And304HaveNoBodyAndTheNextResponseFollows() {
        Decoded head = decode(HttpMethod.HEAD, "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false);
        assertThat(head.framings()).containsExactly(NodeResponseHead.Framing.NONE, NodeResponseHead.Framing.LENGTH);
        assertThat(head.heads().get(0)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");
        assertThat(head.body()).as("the second response is read as a GET's").isEqualTo("ok");

        for (String status : new String[] {"204 No Content", "304 Not Modified"}) {
            Decoded d = decode(HttpMethod.GET, "HTTP/1.1 " + status + "\r\nETag: \"x\"\r\n\r\n", false);
            assertThat(d.framings()).as(status).containsExactly(NodeResponseHead.Framing.NONE);
            assertThat(d.keepAlive()).as(status).containsExactly(true);
            assertThat(d.ends()).as(status).isEmpty();
        }
    }

    @Test
    void interimResponsesComeBeforeTheFinalOne() {
        Decoded d = decode(HttpMethod.HEAD, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", false);
        assertThat(d.statuses()).containsExactly(100, 103, 200);
        assertThat(d.heads().get(1)).isEqualTo("HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n");
        assertThat(d.framings()).as("the HEAD is still remembered for the final response")
                .containsExactly(NodeResponseHead.Framing.NONE, NodeResponseHead.Framing.NONE, NodeResponseHead.Framing.NONE);
    }

    @Test
    void switchingProtocolsOrATunnelLeaveTheConnectionUnusable() {
        Decoded upgrade = decode(HttpMethod.GET, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", false);
        assertThat(upgrade.framings()).containsExactly(NodeResponseHead.Framing.NONE);
        assertThat(upgrade.keepAlive()).containsExactly(false);

        Decoded tunnel = decode(HttpMethod.CONNECT, "HTTP/1.1 200 Connection Established\r\n\r\n", false);
        assertThat(tunnel.framings()).containsExactly(NodeResponseHead.Framing.NONE);
        assertThat(tunnel.keepAlive()).containsExactly(false);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "HTTP/1.1 200 OK\\r\\nA: 1\\r\\n folded\\r\\n\\r\\n | obsolete line folding in the response headers",
        "HTTP/1.1 200 OK\\r\\nContent-Length: 1\\r\\nContent-Length: 1\\r\\n\\r\\nx | more than one Content-Length",
        "HTTP/1.1 200 OK\\r\\nContent-Length: 1x\\r\\n\\r\\n | invalid Content-Length",
        "HTTP/1.1 200 OK\\r\\nContent-Length: -1\\r\\n\\r\\n | invalid Content-Length",
        "HTTP/1.1 200 OK\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n | Transfer-Encoding other than chunked",
        "HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n | Transfer-Encoding other than chunked",
        "HTTP/2 200 OK\\r\\n\\r\\n | invalid status line",
        "HTTP/1.1 20 OK\\r\\n\\r\\n | invalid status line",
        "HTTP/1.1  200 OK\\r\\n\\r\\n | invalid status line",
        "hello world\\r\\n\\r\\n | invalid status line",
        "HTTP/1.1 600 Odd\\r\\n\\r\\n | invalid status code 600",
        "HTTP/1.1 200 OK\\r\\nA: 1\\rB: 2\\r\\n\\r\\n | bare CR in the response head",
        "HTTP/1.1 200 OK\\r\\nA : 1\\r\\n\\r\\n | invalid header line",
        "HTTP/1.1 200 OK\\r\\nno colon\\r\\n\\r\\n | invalid header line",
        "HTTP/1.1 200 OK\\r\\n: empty name\\r\\n\\r\\n | invalid header line",
        "HTTP/1.1 200 OK\\r\\nA: 1\\u0001\\r\\n\\r\\n | control character in a header value",
        "HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n | invalid chunk size",
        "HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n\\r\\n | invalid chunk size",
        "HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1\\r\\nxy\\r\\n | chunk data not followed by CRLF",
        "HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1\\r\\nx\\rz | chunk data not followed by CRLF",
        "HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n folded: trailer\\r\\n\\r\\n | invalid trailer line",
        "HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\nX-Sum: 1\\u0001\\r\\n\\r\\n | invalid trailer line",
        "HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\nno colon\\r\\n\\r\\n | invalid trailer line",
        "HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n10000000000000000\\r\\n | chunk size too large",
    })
    void responsesThatCannotBeForwardedSafelyAreInvalidAndTheRestIsDropped(String escaped, String reason) {
        String input = unescape(escaped) + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        Decoded d = decode(HttpMethod.GET, input, true);
        assertThat(d.invalid()).containsExactly(reason);
        assertThat(d.ends()).as("nothing after the invalid part is decoded").isEmpty();
        assertThat(d.statuses().size()).as("at most the head before a bad body").isLessThanOrEqualTo(1);
    }

    @Test
    void aHeadOverTheLimitIsInvalid() {
        String big = "HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(NodeResponseDecoder.MAX_HEAD_SIZE) + "\r\n\r\n";
        Decoded whole = decode(HttpMethod.GET, big, false, false);
        assertThat(whole.invalid()).containsExactly("response head larger than " + NodeResponseDecoder.MAX_HEAD_SIZE + " bytes");
        assertThat(whole.heads()).isEmpty();

        // Still without its end in sight: the decoder gives up once it holds more than the limit.
        Decoded unfinished = decode(HttpMethod.GET, big.substring(0, NodeResponseDecoder.MAX_HEAD_SIZE + 10), false, false);
        assertThat(unfinished.invalid()).hasSize(1);
    }

    @Test
    void aConnectionClosedMidHeadIsInvalidAndMidBodyHasNoEnd() {
        Decoded midHead = decode(HttpMethod.GET, "HTTP/1.1 200 OK\r\nContent-Le", true);
        assertThat(midHead.invalid()).containsExactly("the connection closed in the middle of the response head");

        Decoded midBody = decode(HttpMethod.GET, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", true);
        assertThat(midBody.body()).isEqualTo("abc");
        assertThat(midBody.ends()).isEmpty();
        assertThat(midBody.invalid()).isEmpty();

        Decoded midChunk = decode(HttpMethod.GET, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", true);
        assertThat(midChunk.body()).isEqualTo("ab");
        assertThat(midChunk.ends()).isEmpty();
    }

    @Test
    void headAndBodyAreSlicesOfTheReadBufferAndAreReleasedWithIt() {
        EmbeddedChannel ch = new EmbeddedChannel(new NodeResponseDecoder(new HeadBuilder()));
        ByteBuf in = Unpooled.directBuffer().writeBytes(("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n"
                + "Content-Length: 3\r\n\r\nabc").getBytes(StandardCharsets.US_ASCII));
        ch.writeInbound(in);
        NodeResponseHead head = ch.readInbound();
        ByteBuf body = ch.readInbound();
        NodeResponseEnd end = ch.readInbound();
        assertThat(end).isSameAs(NodeResponseEnd.NO_TRAILERS);
        // The head for the client is written over the node's head, in the read buffer.
        assertThat(head.content().toString(StandardCharsets.US_ASCII))
                .isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n");
        assertThat(rootOf(head.content())).as("the head: in the read buffer, not a buffer of its own")
                .isSameAs(rootOf(in));
        assertThat(rootOf(body)).as("the body: a slice, not a copy").isSameAs(rootOf(in));
        assertThat(body.toString(StandardCharsets.US_ASCII)).as("the body is not overwritten").isEqualTo("abc");
        body.release();
        assertThat(in.refCnt()).as("the head holds the read buffer").isPositive();
        head.release();
        assertThat(in.refCnt()).isZero();
        assertThat(head.refCnt()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void bodyBytesReadWithTheHeadGoInTheHeadsBufferWhenTheExchangeForwardsTheHeadAsItIs() {
        NodeResponseDecoder decoder = new NodeResponseDecoder(new HeadBuilder());
        decoder.expectResponseTo(HttpMethod.GET, true);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        ByteBuf in = Unpooled.directBuffer().writeBytes(("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n"
                + "Content-Length: 6\r\n\r\nabc").getBytes(StandardCharsets.US_ASCII));
        ch.writeInbound(in);
        NodeResponseHead head = ch.readInbound();
        assertThat(head.content().toString(StandardCharsets.US_ASCII)).as("head and the body read with it, one buffer")
                .isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nabc");
        assertThat(head.bodyBytes()).isEqualTo(3);
        assertThat(rootOf(head.content())).isSameAs(rootOf(in));
        assertThat(ch.<Object>readInbound()).as("the rest of the body has not arrived").isNull();

        ch.writeInbound(Unpooled.directBuffer().writeBytes("defHTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        ByteBuf rest = ch.readInbound();
        assertThat(rest.toString(StandardCharsets.US_ASCII)).isEqualTo("def");
        assertThat(ch.<Object>readInbound()).isSameAs(NodeResponseEnd.NO_TRAILERS);
        NodeResponseHead next = ch.readInbound();
        assertThat(next.bodyBytes()).as("joining is asked for per request").isZero();
        assertThat(next.status()).isEqualTo(204);
        rest.release();
        next.release();
        head.release();
        assertThat(in.refCnt()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aHeadThatGrowsFromBareLineFeedsToCrlfGetsABufferOfItsOwn() {
        EmbeddedChannel ch = new EmbeddedChannel(new NodeResponseDecoder(new HeadBuilder()));
        ByteBuf in = Unpooled.directBuffer().writeBytes(
                "HTTP/1.1 200 OK\nA: 1\nContent-Length: 0\n\n".getBytes(StandardCharsets.US_ASCII));
        ch.writeInbound(in);
        NodeResponseHead head = ch.readInbound();
        NodeResponseEnd end = ch.readInbound();
        assertThat(head.content().toString(StandardCharsets.US_ASCII))
                .isEqualTo("HTTP/1.1 200 OK\r\nA: 1\r\nContent-Length: 0\r\n\r\n");
        assertThat(in.refCnt()).as("nothing holds the read buffer").isZero();
        head.release();
        end.release();
        assertThat(head.refCnt()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    /**
     * The buffer under every wrapper: a slice's parent, and under a leak-detection wrapper the buffer it watches. With
     * sampled leak detection, both the read buffer and the slice taken from it may be wrapped (1 in 128 in the test
     * run), so one {@code unwrap()} is not enough to compare them.
     */
    private static ByteBuf rootOf(ByteBuf buf) {
        ByteBuf root = buf;
        while (root.unwrap() != null) {
            root = root.unwrap();
        }
        return root;
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0001", "\u0001");
    }
}
