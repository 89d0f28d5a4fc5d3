package io.fnlb.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.testing.InProcessFnlb;
import io.fnlb.testing.RawHttp;
import io.fnlb.testing.ScriptedNode;
import io.fnlb.testing.ScriptedNode.After;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node's answer reaches the client intact through {@link NodeResponseDecoder} and
 * {@link Exchange}: header lines as the node wrote them, minus the hop-by-hop ones; bodies
 * re-framed only where the client's HTTP version requires it; interim answers only to clients
 * that expect them; and an answer that cannot be forwarded safely replaced by a 502, after which
 * fnlb keeps serving.
 *
 * <p>The node is a {@link ScriptedNode}, which sends exact bytes chosen by the request path, one
 * path per test; each test has its own client connection.
 */
class NodeResponsesReachClientsIntactTest {

    private static final String OK = "/r/app/ok";
    private static final String INVALID_RESPONSE = "{\"msg\":\"invalid response from node\"}";
    private static final String CHUNKED_HELLO_WORLD = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: abc\r\n\r\n";
    private static final String CLOSE_DELIMITED = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n"
            + "until the node closes";

    private static ScriptedNode node;
    private static InProcessFnlb lb;

    @BeforeAll
    static void start() throws Exception {
        node = ScriptedNode.start();
        node.answer(OK, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", After.KEEP_OPEN);
        // One health round at start (GET /version), none while the tests run.
        lb = InProcessFnlb.start("-nodes", node.address().toString(), "-hc-interval", "1m");
    }

    @AfterAll
    static void stop() throws IOException {
        lb.close();
        node.close();
    }

    // ---- framing and headers ------------------------------------------------------------

    @Test
    void sizedResponseLosesItsHopByHopHeadersKeepsTheOthersAsSentAndBothConnectionsAreReused() throws Exception {
        String path = "/r/app/hop-by-hop";
        node.answer(path, "HTTP/1.1 200 OK\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Connection: keep-alive, X-Private\r\n"
                + "X-Private: secret\r\n"
                + "Keep-Alive: timeout=5, max=100\r\n"
                + "Proxy-Connection: keep-alive\r\n"
                + "Upgrade: h2c\r\n"
                + "Trailer: X-Checksum\r\n"
                + "XXX-FXLB-WAIT: 120ms\r\n"
                + "x-request-ID: Req-17\r\n"
                + "X-Note: two  spaces,\tone tab\r\n"
                + "Content-Length: 11\r\n"
                + "\r\n"
                + "hello world", After.KEEP_OPEN);
        try (RawHttp c = client()) {
            for (int i = 0; i < 2; i++) {
                RawHttp.Response r = c.send(RawHttp.get(path)).read();
                assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
                assertThat(r.headerLines()).as("request %d", i + 1).containsExactly(
                        "Content-Type: text/plain; charset=utf-8",
                        "x-request-ID: Req-17",
                        "X-Note: two  spaces,\tone tab",
                        "Content-Length: 11");
                assertThat(r.text()).isEqualTo("hello world");
            }
        }
        List<Integer> connections = node.requests(path).stream().map(ScriptedNode.Received::connection).toList();
        assertThat(connections).hasSize(2);
        assertThat(connections.get(1)).as("node connection of the second request").isEqualTo(connections.get(0));
    }

    @Test
    void chunkedResponseReachesAnHttp11ClientChunkedWithItsTrailersAfterTheLastChunk() throws Exception {
        String path = "/r/app/chunked-11";
        node.answer(path, CHUNKED_HELLO_WORLD, After.KEEP_OPEN);
        try (RawHttp c = client()) {
            assertChunkedTextPlain(c.send(RawHttp.get(path)).read(), "hello world", "X-Checksum: abc");
            assertThat(c.send(RawHttp.get(OK)).read().text()).isEqualTo("ok");
        }
    }

    @Test
    void chunkedResponseReachesAnHttp10ClientDechunkedAndTheConnectionCloses() throws Exception {
        String path = "/r/app/chunked-10";
        node.answer(path, CHUNKED_HELLO_WORLD, After.KEEP_OPEN);
        // Read up to the close: the data, without chunk framing or trailers.
        assertHttp10ClientGetsTextPlainAndAClose(path, "hello world");
    }

    @Test
    void closeDelimitedResponseReachesAnHttp11ClientChunkedAndItsConnectionStaysUsable() throws Exception {
        String path = "/r/app/until-close-11";
        node.answer(path, CLOSE_DELIMITED, After.CLOSE);
        try (RawHttp c = client()) {
            assertChunkedTextPlain(c.send(RawHttp.get(path)).read(), "until the node closes");
            assertThat(c.send(RawHttp.get(OK)).read().text()).isEqualTo("ok");
        }
    }

    @Test
    void closeDelimitedResponseReachesAnHttp10ClientAsIsAndTheConnectionCloses() throws Exception {
        String path = "/r/app/until-close-10";
        node.answer(path, CLOSE_DELIMITED, After.CLOSE);
        assertHttp10ClientGetsTextPlainAndAClose(path, "until the node closes");
    }

    @Test
    void headResponseKeepsItsContentLengthHasNoBodyAndTheConnectionStaysUsable() throws Exception {
        String path = "/r/app/head";
        node.answer(path, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 1234\r\n\r\n",
                After.KEEP_OPEN);
        try (RawHttp c = client()) {
            RawHttp.Response r = c.send("HEAD " + path + " HTTP/1.1\r\nHost: fnlb\r\n\r\n").read(true);
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(r.headerLines()).containsExactly("Content-Type: application/octet-stream", "Content-Length: 1234");
            // A body byte, or a missing end of the head, would be read as the start of this answer.
            RawHttp.Response next = c.send(RawHttp.get(OK)).read();
            assertThat(next.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(next.text()).isEqualTo("ok");
        }
        assertThat(node.requests(path)).extracting(ScriptedNode.Received::method).containsExactly("HEAD");
    }

    @Test
    void noContentResponseHasNoBodyAndTheConnectionStaysUsable() throws Exception {
        String path = "/r/app/no-content";
        node.answer(path, "HTTP/1.1 204 No Content\r\nX-Deleted: yes\r\n\r\n", After.KEEP_OPEN);
        try (RawHttp c = client()) {
            RawHttp.Response r = c.send(RawHttp.get(path)).read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 204 No Content");
            assertThat(r.headerLines()).containsExactly("X-Deleted: yes");
            RawHttp.Response next = c.send(RawHttp.get(OK)).read();
            assertThat(next.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(next.text()).isEqualTo("ok");
        }
    }

    @Test
    void notModifiedResponseHasNoBodyEvenWithAContentLengthAndTheConnectionStaysUsable() throws Exception {
        String path = "/r/app/not-modified";
        node.answer(path, "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nContent-Length: 1234\r\n\r\n", After.KEEP_OPEN);
        try (RawHttp c = client()) {
            RawHttp.Response r = c.send("GET " + path + " HTTP/1.1\r\nHost: fnlb\r\nIf-None-Match: \"v1\"\r\n\r\n").read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 304 Not Modified");
            assertThat(r.headerLines()).containsExactly("ETag: \"v1\"", "Content-Length: 1234");
            RawHttp.Response next = c.send(RawHttp.get(OK)).read();
            assertThat(next.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(next.text()).isEqualTo("ok");
        }
    }

    @Test
    void earlyHintsReachAnHttp11ClientBeforeTheFinalResponse() throws Exception {
        String path = "/r/app/early-hints-11";
        node.answer(path, earlyHintsThen200(), After.KEEP_OPEN);
        try (RawHttp c = client()) {
            c.send(RawHttp.get(path));
            RawHttp.Response hints = c.read();
            assertThat(hints.statusLine()).isEqualTo("HTTP/1.1 103 Early Hints");
            assertThat(hints.headerLines()).containsExactly("Link: </style.css>; rel=preload; as=style");
            RawHttp.Response r = c.read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(r.headerLines()).containsExactly("Link: </style.css>; rel=preload; as=style", "Content-Length: 2");
            assertThat(r.text()).isEqualTo("hi");
            assertThat(c.send(RawHttp.get(OK)).read().text()).isEqualTo("ok");
        }
    }

    @Test
    void earlyHintsAreNotSentToAnHttp10ClientWhichGetsOnlyTheFinalResponse() throws Exception {
        String path = "/r/app/early-hints-10";
        node.answer(path, earlyHintsThen200(), After.KEEP_OPEN);
        try (RawHttp c = client()) {
            RawHttp.Response r = c.send(http10Get(path)).read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.0 200 OK");
            assertConnectionCloseAtMost(r);
            assertThat(without(r, "Connection"))
                    .containsExactly("Link: </style.css>; rel=preload; as=style", "Content-Length: 2");
            assertThat(r.text()).isEqualTo("hi");
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void contentLengthWithChunkedIsForwardedChunkedWithoutTheLength() throws Exception {
        String path = "/r/app/length-and-chunked";
        node.answer(path, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", After.KEEP_OPEN);
        try (RawHttp c = client()) {
            RawHttp.Response r = c.send(RawHttp.get(path)).read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(r.headers("Content-Length")).isEmpty();
            assertThat(without(r, "Transfer-Encoding")).containsExactly("Content-Type: text/plain");
            assertThat(r.headers("Transfer-Encoding")).map(v -> v.toLowerCase(Locale.ROOT)).containsExactly("chunked");
            assertThat(r.text()).isEqualTo("hello world");
            assertThat(c.send(RawHttp.get(OK)).read().text()).isEqualTo("ok");
        }
    }

    @Test
    void nodeDyingInTheMiddleOfASizedBodyClosesTheClientConnectionBeforeTheBodyLooksComplete() throws Exception {
        String path = "/r/app/dies-mid-body";
        node.answer(path, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789", After.CLOSE);
        try (RawHttp c = client()) {
            RawHttp.Response r = c.send(RawHttp.get(path)).read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(r.headerLines()).containsExactly("Content-Length: 1000");
            assertThat(r.text()).isEqualTo("0123456789");
            assertThat(r.complete()).as("a truncated body must not look complete").isFalse();
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    // ---- answers that cannot be forwarded -----------------------------------------------

    @Test
    void obsoleteLineFoldingIsAnswered502() throws Exception {
        assertAnswered502("/r/app/folded",
                "HTTP/1.1 200 OK\r\nX-Folded: first\r\n second\r\nContent-Length: 2\r\n\r\nok", After.KEEP_OPEN);
    }

    @Test
    void twoContentLengthsAreAnswered502() throws Exception {
        assertAnswered502("/r/app/two-lengths",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\nhello", After.KEEP_OPEN);
    }

    @Test
    void transferCodingOtherThanChunkedIsAnswered502() throws Exception {
        assertAnswered502("/r/app/gzip-coding",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nnot really gzip", After.CLOSE);
    }

    @Test
    void garbageStatusLineIsAnswered502() throws Exception {
        assertAnswered502("/r/app/garbage-status",
                "HTTP/1.1 OK 200 fine\r\nContent-Length: 2\r\n\r\nok", After.KEEP_OPEN);
    }

    @Test
    void headCutShortByTheNodeClosingIsAnswered502() throws Exception {
        assertAnswered502("/r/app/cut-head", "HTTP/1.1 200 OK\r\nContent-Type: text/pl", After.CLOSE);
    }

    /**
     * The node answers {@code path} with {@code answer}: the client gets fnlb's 502 for an invalid
     * response (the node answered, so the request is not sent again), and the same client
     * connection is served normally afterwards.
     */
    private static void assertAnswered502(String path, String answer, After after) throws Exception {
        node.answer(path, answer, after);
        try (RawHttp c = client()) {
            RawHttp.Response r = c.send(RawHttp.get(path)).read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 502 Bad Gateway");
            assertThat(r.headers("Content-Type")).containsExactly("application/json");
            assertThat(r.text()).isEqualTo(INVALID_RESPONSE);
            assertThat(node.requests(path)).as("requests the node received").hasSize(1);
            RawHttp.Response next = c.send(RawHttp.get(OK)).read();
            assertThat(next.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(next.text()).isEqualTo("ok");
        }
    }

    // ---- helpers ------------------------------------------------------------------------

    /** A client connection to fnlb's traffic port; reads give up after 10 s. */
    private static RawHttp client() throws IOException {
        return RawHttp.connect(lb.traffic(), 10_000);
    }

    /** {@code r}'s header lines, in order, but for those named {@code name}. */
    private static List<String> without(RawHttp.Response r, String name) {
        return r.headerLines().stream().filter(l -> !l.regionMatches(true, 0, name + ":", 0, name.length() + 1)).toList();
    }

    private static String http10Get(String path) {
        return "GET " + path + " HTTP/1.0\r\nHost: fnlb\r\n\r\n";
    }

    private static String earlyHintsThen200() {
        return "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nLink: </style.css>; rel=preload; as=style\r\nContent-Length: 2\r\n\r\nhi";
    }

    /**
     * An HTTP/1.0 client asks for {@code path}, whose node response has no length: it gets the
     * body's bytes, no framing headers (no length, no chunking) and the connection closed after.
     */
    private static void assertHttp10ClientGetsTextPlainAndAClose(String path, String text) throws IOException {
        try (RawHttp c = client()) {
            RawHttp.Response r = c.send(http10Get(path)).read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.0 200 OK");
            assertThat(r.headers("Transfer-Encoding")).isEmpty();
            assertThat(r.headers("Content-Length")).isEmpty();
            assertConnectionCloseAtMost(r);
            assertThat(without(r, "Connection")).containsExactly("Content-Type: text/plain");
            assertThat(r.text()).isEqualTo(text);
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    /** An HTTP/1.1 200 with the node's one Content-Type line, re-chunked by fnlb, with {@code trailers}. */
    private static void assertChunkedTextPlain(RawHttp.Response r, String text, String... trailers) {
        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(without(r, "Transfer-Encoding")).containsExactly("Content-Type: text/plain");
        assertThat(r.headers("Transfer-Encoding")).map(v -> v.toLowerCase(Locale.ROOT)).containsExactly("chunked");
        assertThat(r.text()).isEqualTo(text);
        assertThat(r.trailerLines()).containsExactly(trailers);
    }

    /** An HTTP/1.0 client that did not ask for keep-alive may be told {@code Connection: close}, nothing else. */
    private static void assertConnectionCloseAtMost(RawHttp.Response r) {
        assertThat(r.headers("Connection")).allSatisfy(v -> assertThat(v).isEqualToIgnoringCase("close"));
    }
}
