package io.fnlb.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fnlb.testing.FakeFnNode;
import io.fnlb.testing.InProcessFnlb;
import io.fnlb.testing.RawHttp;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 4, request smuggling: a request whose body framing is ambiguous is answered 400 with the
 * connection closed, and not one byte of it, nor of anything sent after it, reaches a node.
 *
 * <p>Each request carries a second request in what one reading would take for its body, so a
 * framing mistake would show up as a forwarded request.
 */
class ProxyRejectsSmuggledRequestsTest {

    private static final String POST = "POST /r/app/fn HTTP/1.1\r\nHost: x\r\n";
    private static final String SMUGGLED = "GET /r/app/smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

    private static FakeFnNode node;
    private static InProcessFnlb lb;

    @BeforeAll
    static void start() throws Exception {
        node = FakeFnNode.launch();
        lb = InProcessFnlb.start("-nodes", node.address().toString(), "-hc-interval", "1m");
    }

    @AfterAll
    static void stop() {
        lb.close();
        node.close();
    }

    /** Requests that reached the node, health checks aside. */
    private static long forwarded() {
        return node.requestCount() - node.requestCount("/version");
    }

    static Stream<Arguments> ambiguousRequests() {
        return Stream.of(
                Arguments.of("Content-Length then Transfer-Encoding",
                        POST + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED,
                        "Content-Length are not allowed in HTTP/1.1 messages that contains a Transfer-Encoding header."),
                Arguments.of("Transfer-Encoding then Content-Length",
                        POST + "Transfer-Encoding: chunked\r\nContent-Length: 48\r\n\r\n0\r\n\r\n" + SMUGGLED,
                        "Content-Length are not allowed in HTTP/1.1 messages that contains a Transfer-Encoding header."),
                Arguments.of("two equal Content-Length fields",
                        POST + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello" + SMUGGLED,
                        "Multiple Content-Length values found: [5, 5]"),
                Arguments.of("two different Content-Length fields",
                        POST + "Content-Length: 0\r\nContent-Length: 45\r\n\r\n" + SMUGGLED,
                        "Multiple Content-Length values found: [0, 45]"),
                Arguments.of("a Content-Length list of equal values",
                        POST + "Content-Length: 5, 5\r\n\r\nhello" + SMUGGLED,
                        "Multiple Content-Length values found: [5, 5]"),
                Arguments.of("a Content-Length list of different values",
                        POST + "Content-Length: 0, 45\r\n\r\n" + SMUGGLED,
                        "Multiple Content-Length values found: [0, 45]"),
                Arguments.of("two Content-Length fields in HTTP/1.0",
                        "POST /r/app/fn HTTP/1.0\r\nContent-Length: 0\r\nContent-Length: 45\r\n\r\n" + SMUGGLED,
                        "more than one Content-Length"),
                Arguments.of("a negative Content-Length",
                        POST + "Content-Length: -1\r\n\r\n" + SMUGGLED,
                        "Content-Length value is not a number: -1"),
                Arguments.of("a Content-Length that is not a number",
                        POST + "Content-Length: abc\r\n\r\n" + SMUGGLED,
                        "Content-Length value is not a number: abc"),
                Arguments.of("a Content-Length with a sign",
                        POST + "Content-Length: +5\r\n\r\nhello" + SMUGGLED,
                        "Content-Length value is not a number: +5"),
                Arguments.of("a Content-Length too large for 64 bits",
                        POST + "Content-Length: 99999999999999999999\r\n\r\n" + SMUGGLED,
                        "Content-Length value is not a number: 99999999999999999999"),
                Arguments.of("Transfer-Encoding chunked, identity",
                        POST + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n" + SMUGGLED,
                        "chunked must be the last encoding present in the Transfer-Encoding header"),
                Arguments.of("Transfer-Encoding xchunked",
                        POST + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n" + SMUGGLED,
                        "The final transfer coding must be chunked for HTTP requests"),
                Arguments.of("Transfer-Encoding chunked in two fields",
                        POST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED,
                        "chunked transfer coding must not be applied more than once"),
                Arguments.of("Transfer-Encoding chunked, chunked",
                        POST + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n" + SMUGGLED,
                        "chunked transfer coding must not be applied more than once"),
                Arguments.of("Transfer-Encoding gzip, chunked",
                        POST + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n" + SMUGGLED,
                        "Transfer-Encoding other than chunked"),
                Arguments.of("Transfer-Encoding gzip and chunked in two fields",
                        POST + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED,
                        "Transfer-Encoding other than chunked"),
                Arguments.of("Transfer-Encoding in HTTP/1.0",
                        "POST /r/app/fn HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED,
                        "The Transfer-Encoding header is only allowed in HTTP/1.1 or newer"),
                Arguments.of("a header folded with a space",
                        POST + "X-Note: a\r\n b\r\nContent-Length: 0\r\n\r\n" + SMUGGLED,
                        "obsolete line folding in the request headers"),
                Arguments.of("a header folded with a tab",
                        POST + "X-Note: a\r\n\tb\r\nContent-Length: 0\r\n\r\n" + SMUGGLED,
                        "obsolete line folding in the request headers"),
                Arguments.of("a folded Content-Length",
                        POST + "Content-Length:\r\n 0\r\n\r\n" + SMUGGLED,
                        "obsolete line folding in the request headers"),
                Arguments.of("white space before the first header",
                        "POST /r/app/fn HTTP/1.1\r\n Transfer-Encoding: chunked\r\nHost: x\r\n\r\n0\r\n\r\n" + SMUGGLED,
                        "obsolete line folding in the request headers"),
                Arguments.of("white space between a header name and its colon",
                        POST + "Content-Length : 0\r\n\r\n" + SMUGGLED,
                        "a header name can only contain \"token\" characters, but found invalid character 0x20 at index 14"
                                + " of header 'Content-Length '."),
                Arguments.of("lines ended by a bare line feed",
                        "POST /r/app/fn HTTP/1.1\nHost: x\nContent-Length: 0\n\n" + SMUGGLED,
                        "Line Feed must be preceded by Carriage Return when terminating HTTP start- and header field-lines"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ambiguousRequests")
    void ambiguousFramingIs400AndNothingIsForwarded(String description, String bytes, String problem) throws Exception {
        long before = forwarded();
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            RawHttp.Response r = c.send(bytes).read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("Connection")).contains("close");
            assertThat(r.header("Content-Type")).contains("application/json");
            assertThat(r.text()).isEqualTo("{\"msg\":\"malformed request: " + problem.replace("\"", "\\\"") + "\"}");
            assertThat(c.closedByPeer()).isTrue();
        }
        // Control: a good request on a new connection does arrive, so the count below could move.
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            assertThat(c.send(RawHttp.get("/r/app/control")).read().status()).isEqualTo(200);
        }
        assertThat(forwarded() - before).isEqualTo(1);
        assertThat(node.requestCount("/r/app/fn")).isZero();
        assertThat(node.requestCount("/r/app/smuggled")).isZero();
    }

    @Test
    void chunkedBodiesInAnyCaseAreStillForwarded() throws Exception {
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            c.send("POST /r/app/chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("hello");
            assertThat(r.header(FakeFnNode.ECHO_HEADER_PREFIX + "transfer-encoding")).contains("chunked");
            // Leading empty lines before a request line are allowed, and the connection lives on.
            c.send("\r\n" + RawHttp.get("/r/app/after"));
            assertThat(c.read().status()).isEqualTo(200);
        }
    }

    @Test
    void aFoldedRequestPipelinedBehindAGoodOneIsRejectedAfterTheGoodOneIsAnswered() throws Exception {
        long before = node.requestCount("/r/app/first");
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            c.send(RawHttp.get("/r/app/first") + "GET /r/app/folded HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  2\r\n\r\n" + SMUGGLED);
            assertThat(c.read().status()).isEqualTo(200);
            RawHttp.Response second = c.read();
            assertThat(second.status()).isEqualTo(400);
            assertThat(second.text()).isEqualTo("{\"msg\":\"malformed request: obsolete line folding in the request headers\"}");
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(node.requestCount("/r/app/first") - before).isEqualTo(1);
        assertThat(node.requestCount("/r/app/folded")).isZero();
        assertThat(node.requestCount("/r/app/smuggled")).isZero();
    }

    @Test
    void brokenChunkFramingMidBodyCutsBothConnectionsInsteadOfEndingTheBodyCleanly() throws Exception {
        // A node and LB of its own, so no pooled connection blurs the count of open ones.
        try (FakeFnNode sink = FakeFnNode.launch();
                InProcessFnlb own = InProcessFnlb.start("-nodes", sink.address().toString(), "-hc-interval", "1m")) {
            int before = sink.openConnections();
            try (RawHttp c = RawHttp.connect(own.traffic())) {
                // /sink answers only once the whole body arrived: an answer would mean the node saw an end.
                c.send("POST /sink HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
                await().atMost(Duration.ofSeconds(5)).until(() -> sink.bodyBytesReceived() == 5);
                assertThat(sink.openConnections()).isEqualTo(before + 1);
                c.send("zz\r\nworld\r\n0\r\n\r\n" + SMUGGLED);
                assertThat(c.closedByPeer()).isTrue();
            }
            // The node connection was closed mid-body, not given back to the pool.
            await().atMost(Duration.ofSeconds(5)).until(() -> sink.openConnections() == before);
            assertThat(sink.bodyBytesReceived()).isEqualTo(5);
            assertThat(sink.requestCount("/r/app/smuggled")).isZero();
            try (RawHttp c = RawHttp.connect(own.traffic())) {
                assertThat(c.send(RawHttp.get("/r/app/after")).read().status()).isEqualTo(200);
            }
        }
    }
}
