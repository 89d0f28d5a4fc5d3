package io.fnlb.proxy;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.testing.InProcessFnlb;
import io.fnlb.testing.RawHttp;
import io.fnlb.testing.ScriptedNode;
import io.fnlb.testing.ScriptedNode.After;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
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
 * path per test; each test has its own client connection, which reads exact bytes off the socket.
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
        try (Client c = Client.connect()) {
            for (int i = 0; i < 2; i++) {
                Response r = c.send(RawHttp.get(path)).read();
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
        try (Client c = Client.connect()) {
            assertChunkedTextPlain(c.send(RawHttp.get(path)).read(), "hello world", "X-Checksum: abc");
            assertThat(c.send(RawHttp.get(OK)).read().text()).isEqualTo("ok");
        }
    }

    @Test
    void chunkedResponseReachesAnHttp10ClientDechunkedAndTheConnectionCloses() throws Exception {
        String path = "/r/app/chunked-10";
        node.answer(path, CHUNKED_HELLO_WORLD, After.KEEP_OPEN);
        try (Client c = Client.connect()) {
            Response r = c.send(http10Get(path)).read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.0 200 OK");
            assertThat(r.header("Transfer-Encoding")).isEmpty();
            assertThat(r.header("Content-Length")).isEmpty();
            assertConnectionCloseAtMost(r);
            assertThat(r.headerLinesWithout("Connection")).containsExactly("Content-Type: text/plain");
            // Read up to the close: the data, without chunk framing or trailers.
            assertThat(r.text()).isEqualTo("hello world");
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void closeDelimitedResponseReachesAnHttp11ClientChunkedAndItsConnectionStaysUsable() throws Exception {
        String path = "/r/app/until-close-11";
        node.answer(path, CLOSE_DELIMITED, After.CLOSE);
        try (Client c = Client.connect()) {
            assertChunkedTextPlain(c.send(RawHttp.get(path)).read(), "until the node closes");
            assertThat(c.send(RawHttp.get(OK)).read().text()).isEqualTo("ok");
        }
    }

    @Test
    void closeDelimitedResponseReachesAnHttp10ClientAsIsAndTheConnectionCloses() throws Exception {
        String path = "/r/app/until-close-10";
        node.answer(path, CLOSE_DELIMITED, After.CLOSE);
        try (Client c = Client.connect()) {
            Response r = c.send(http10Get(path)).read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.0 200 OK");
            assertConnectionCloseAtMost(r);
            assertThat(r.headerLinesWithout("Connection")).containsExactly("Content-Type: text/plain");
            assertThat(r.text()).isEqualTo("until the node closes");
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void headResponseKeepsItsContentLengthHasNoBodyAndTheConnectionStaysUsable() throws Exception {
        String path = "/r/app/head";
        node.answer(path, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 1234\r\n\r\n",
                After.KEEP_OPEN);
        try (Client c = Client.connect()) {
            Response r = c.send("HEAD " + path + " HTTP/1.1\r\nHost: fnlb\r\n\r\n").read(true);
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(r.headerLines()).containsExactly("Content-Type: application/octet-stream", "Content-Length: 1234");
            // A body byte, or a missing end of the head, would be read as the start of this answer.
            Response next = c.send(RawHttp.get(OK)).read();
            assertThat(next.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(next.text()).isEqualTo("ok");
        }
        assertThat(node.requests(path)).extracting(ScriptedNode.Received::method).containsExactly("HEAD");
    }

    @Test
    void noContentResponseHasNoBodyAndTheConnectionStaysUsable() throws Exception {
        String path = "/r/app/no-content";
        node.answer(path, "HTTP/1.1 204 No Content\r\nX-Deleted: yes\r\n\r\n", After.KEEP_OPEN);
        try (Client c = Client.connect()) {
            Response r = c.send(RawHttp.get(path)).read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 204 No Content");
            assertThat(r.headerLines()).containsExactly("X-Deleted: yes");
            Response next = c.send(RawHttp.get(OK)).read();
            assertThat(next.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(next.text()).isEqualTo("ok");
        }
    }

    @Test
    void notModifiedResponseHasNoBodyEvenWithAContentLengthAndTheConnectionStaysUsable() throws Exception {
        String path = "/r/app/not-modified";
        node.answer(path, "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nContent-Length: 1234\r\n\r\n", After.KEEP_OPEN);
        try (Client c = Client.connect()) {
            Response r = c.send("GET " + path + " HTTP/1.1\r\nHost: fnlb\r\nIf-None-Match: \"v1\"\r\n\r\n").read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 304 Not Modified");
            assertThat(r.headerLines()).containsExactly("ETag: \"v1\"", "Content-Length: 1234");
            Response next = c.send(RawHttp.get(OK)).read();
            assertThat(next.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(next.text()).isEqualTo("ok");
        }
    }

    @Test
    void earlyHintsReachAnHttp11ClientBeforeTheFinalResponse() throws Exception {
        String path = "/r/app/early-hints-11";
        node.answer(path, earlyHintsThen200(), After.KEEP_OPEN);
        try (Client c = Client.connect()) {
            c.send(RawHttp.get(path));
            Response hints = c.read();
            assertThat(hints.statusLine()).isEqualTo("HTTP/1.1 103 Early Hints");
            assertThat(hints.headerLines()).containsExactly("Link: </style.css>; rel=preload; as=style");
            Response r = c.read();
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
        try (Client c = Client.connect()) {
            Response r = c.send(http10Get(path)).read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.0 200 OK");
            assertConnectionCloseAtMost(r);
            assertThat(r.headerLinesWithout("Connection"))
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
        try (Client c = Client.connect()) {
            Response r = c.send(RawHttp.get(path)).read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(r.header("Content-Length")).isEmpty();
            assertThat(r.headerLinesWithout("Transfer-Encoding")).containsExactly("Content-Type: text/plain");
            assertThat(r.header("Transfer-Encoding")).map(v -> v.toLowerCase(Locale.ROOT)).containsExactly("chunked");
            assertThat(r.text()).isEqualTo("hello world");
            assertThat(c.send(RawHttp.get(OK)).read().text()).isEqualTo("ok");
        }
    }

    @Test
    void nodeDyingInTheMiddleOfASizedBodyClosesTheClientConnectionBeforeTheBodyLooksComplete() throws Exception {
        String path = "/r/app/dies-mid-body";
        node.answer(path, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789", After.CLOSE);
        try (Client c = Client.connect()) {
            Response r = c.send(RawHttp.get(path)).read();
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
        try (Client c = Client.connect()) {
            Response r = c.send(RawHttp.get(path)).read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 502 Bad Gateway");
            assertThat(r.header("Content-Type")).containsExactly("application/json");
            assertThat(r.text()).isEqualTo(INVALID_RESPONSE);
            assertThat(node.requests(path)).as("requests the node received").hasSize(1);
            Response next = c.send(RawHttp.get(OK)).read();
            assertThat(next.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(next.text()).isEqualTo("ok");
        }
    }

    // ---- helpers ------------------------------------------------------------------------

    private static String http10Get(String path) {
        return "GET " + path + " HTTP/1.0\r\nHost: fnlb\r\n\r\n";
    }

    private static String earlyHintsThen200() {
        return "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nLink: </style.css>; rel=preload; as=style\r\nContent-Length: 2\r\n\r\nhi";
    }

    /** An HTTP/1.1 200 with the node's one Content-Type line, re-chunked by fnlb, with {@code trailers}. */
    private static void assertChunkedTextPlain(Response r, String text, String... trailers) {
        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(r.headerLinesWithout("Transfer-Encoding")).containsExactly("Content-Type: text/plain");
        assertThat(r.header("Transfer-Encoding")).map(v -> v.toLowerCase(Locale.ROOT)).containsExactly("chunked");
        assertThat(r.text()).isEqualTo(text);
        assertThat(r.trailerLines()).containsExactly(trailers);
    }

    /** An HTTP/1.0 client that did not ask for keep-alive may be told {@code Connection: close}, nothing else. */
    private static void assertConnectionCloseAtMost(Response r) {
        assertThat(r.header("Connection")).allSatisfy(v -> assertThat(v).isEqualToIgnoringCase("close"));
    }

    /**
     * A response as the client received it: the status line and header lines exactly as sent
     * (each line ended by CRLF), the body without chunk framing, the trailer lines after a
     * chunked body, and whether the body was complete.
     */
    private record Response(String statusLine, List<String> headerLines, byte[] body, List<String> trailerLines,
            boolean complete) {

        int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }

        /** The values of header {@code name} (case-insensitive), without surrounding whitespace. */
        List<String> header(String name) {
            return headerLines.stream()
                    .filter(l -> nameOf(l).equalsIgnoreCase(name))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .toList();
        }

        /** The header lines, in order, but for those named {@code name}. */
        List<String> headerLinesWithout(String name) {
            return headerLines.stream().filter(l -> !nameOf(l).equalsIgnoreCase(name)).toList();
        }

        String text() {
            return new String(body, ISO_8859_1);
        }

        private static String nameOf(String line) {
            int colon = line.indexOf(':');
            return colon < 0 ? line : line.substring(0, colon);
        }
    }

    /** A client connection to fnlb's traffic port that reads responses byte for byte. */
    private static final class Client implements AutoCloseable {

        private static final int READ_TIMEOUT_MILLIS = 10_000;

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        private Client(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        static Client connect() throws IOException {
            InetSocketAddress traffic = lb.traffic();
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress("127.0.0.1", traffic.getPort()), 5000);
                s.setSoTimeout(READ_TIMEOUT_MILLIS);
                return new Client(s);
            } catch (IOException e) {
                s.close();
                throw e;
            }
        }

        Client send(String raw) throws IOException {
            out.write(raw.getBytes(ISO_8859_1));
            out.flush();
            return this;
        }

        /** Reads one response, with the body its status and framing announce. */
        Response read() throws IOException {
            return read(false);
        }

        /**
         * Reads one response; {@code toHead}: the answer to a HEAD, without a body. A body with
         * neither length nor chunked framing is read up to the close.
         */
        Response read(boolean toHead) throws IOException {
            String statusLine = line();
            List<String> headerLines = new ArrayList<>();
            for (String l = line(); !l.isEmpty(); l = line()) {
                headerLines.add(l);
            }
            Response head = new Response(statusLine, headerLines, new byte[0], List.of(), true);
            int status = head.status();
            if (toHead || status < 200 || status == 204 || status == 304) {
                return head;
            }
            List<String> encodings = head.header("Transfer-Encoding");
            List<String> lengths = head.header("Content-Length");
            if (!encodings.isEmpty()) {
                assertThat(encodings).map(v -> v.toLowerCase(Locale.ROOT)).containsExactly("chunked");
                assertThat(lengths).as("Content-Length beside Transfer-Encoding").isEmpty();
                return readChunked(head);
            }
            if (!lengths.isEmpty()) {
                assertThat(lengths).as("Content-Length values").hasSize(1);
                int length = Integer.parseInt(lengths.get(0));
                byte[] body = in.readNBytes(length);
                return new Response(statusLine, headerLines, body, List.of(), body.length == length);
            }
            return new Response(statusLine, headerLines, in.readAllBytes(), List.of(), true);
        }

        private Response readChunked(Response head) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (;;) {
                String sizeLine = line();
                int extension = sizeLine.indexOf(';');
                int size = Integer.parseInt(extension < 0 ? sizeLine : sizeLine.substring(0, extension), 16);
                if (size == 0) {
                    break;
                }
                byte[] data = in.readNBytes(size);
                body.write(data);
                if (data.length < size) {
                    return new Response(head.statusLine(), head.headerLines(), body.toByteArray(), List.of(), false);
                }
                assertThat(line()).as("end of chunk data").isEmpty();
            }
            List<String> trailers = new ArrayList<>();
            for (String l = line(); !l.isEmpty(); l = line()) {
                trailers.add(l);
            }
            return new Response(head.statusLine(), head.headerLines(), body.toByteArray(), trailers, true);
        }

        /** One line, which must end with CRLF, without it. */
        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(64);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c == -1) {
                    throw new EOFException("connection closed in the middle of a line: " + line.toString(ISO_8859_1));
                }
                line.write(c);
            }
            byte[] b = line.toByteArray();
            assertThat(b.length > 0 && b[b.length - 1] == '\r').as("CRLF at the end of %s", line.toString(ISO_8859_1))
                    .isTrue();
            return new String(b, 0, b.length - 1, ISO_8859_1);
        }

        /** True when fnlb closed the connection; false when more bytes came, or nothing within the read timeout. */
        boolean closedByPeer() throws IOException {
            try {
                return in.read() == -1;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (SocketException e) {
                return true; // reset
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
