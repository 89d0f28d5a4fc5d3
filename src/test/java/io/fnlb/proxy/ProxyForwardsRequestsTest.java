package io.fnlb.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.testing.FakeFnNode;
import io.fnlb.testing.InProcessFnlb;
import io.fnlb.testing.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC §4: what reaches the node and what comes back, byte for byte where it matters. */
class ProxyForwardsRequestsTest {

    private static FakeFnNode node;
    private static InProcessFnlb lb;

    @BeforeAll
    static void start() throws Exception {
        node = FakeFnNode.launch();
        lb = InProcessFnlb.start("-nodes", node.address().toString(), "-hc-interval", "200ms", "-hc-timeout", "1");
    }

    @AfterAll
    static void stop() {
        lb.close();
        node.close();
    }

    private static String echoed(RawHttp.Response r, String header) {
        return r.header(FakeFnNode.ECHO_HEADER_PREFIX + header).orElse(null);
    }

    @Test
    void methodPathQueryAndBodyReachTheNode() throws Exception {
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            c.send("POST /r/app/echo?x=1&y=%20 HTTP/1.1\r\nHost: fn.example\r\nContent-Length: 11\r\n\r\nhello world");
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header(FakeFnNode.ECHO_METHOD)).contains("POST");
            assertThat(r.header(FakeFnNode.ECHO_URI)).contains("/r/app/echo?x=1&y=%20");
            assertThat(r.text()).isEqualTo("hello world");
            assertThat(r.header(FakeFnNode.NODE_HEADER)).contains(node.address().toString());
        }
    }

    @Test
    void hostIsKeptAndForwardedHeadersAreSet() throws Exception {
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            c.send("GET /r/app/h HTTP/1.1\r\nHost: fn.example:8081\r\nX-Forwarded-For: 10.1.2.3\r\n"
                    + "X-Forwarded-Proto: https\r\n\r\n");
            RawHttp.Response r = c.read();
            assertThat(echoed(r, "Host")).isEqualTo("fn.example:8081");
            assertThat(echoed(r, "x-forwarded-for")).isEqualTo("10.1.2.3, 127.0.0.1");
            assertThat(echoed(r, "x-forwarded-proto")).isEqualTo("http");
            assertThat(echoed(r, "x-forwarded-host")).isEqualTo("fn.example:8081");
        }
    }

    @Test
    void hopByHopHeadersAreNotForwarded() throws Exception {
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            c.send("GET /r/app/hop HTTP/1.1\r\nHost: fnlb\r\nConnection: keep-alive, X-Private\r\nX-Private: secret\r\n"
                    + "Keep-Alive: timeout=5\r\nProxy-Authorization: Basic eA==\r\nTE: trailers\r\nUpgrade: h2c\r\n"
                    + "X-Kept: yes\r\n\r\n");
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(echoed(r, "X-Kept")).isEqualTo("yes");
            for (String hop : new String[] {"Connection", "X-Private", "Keep-Alive", "Proxy-Authorization", "TE", "Upgrade"}) {
                assertThat(r.headers().stream().map(e -> e.getKey().toLowerCase()))
                        .as(hop).doesNotContain((FakeFnNode.ECHO_HEADER_PREFIX + hop).toLowerCase());
            }
        }
    }

    @Test
    void chunkedUploadIsStreamedAndEchoed() throws Exception {
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            c.send("POST /r/app/chunks HTTP/1.1\r\nHost: fnlb\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("hello world");
            assertThat(echoed(r, "Transfer-Encoding")).isEqualTo("chunked");
        }
    }

    @Test
    void waitHeaderIsRemovedFromTheResponse() throws Exception {
        node.waitHeader("850ms");
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            RawHttp.Response r = c.send(RawHttp.get("/r/app/waits")).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("XXX-FXLB-WAIT")).isEmpty();
        } finally {
            node.waitHeader(null);
        }
    }

    @Test
    void keepAliveConnectionsAreReusedOnBothSides() throws Exception {
        long before = node.connectionsAccepted();
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            for (int i = 0; i < 50; i++) {
                RawHttp.Response r = c.send(RawHttp.get("/r/app/reuse")).read();
                assertThat(r.status()).isEqualTo(200);
            }
        }
        // One client connection, sequential requests: the LB needs at most one new node connection.
        assertThat(node.connectionsAccepted() - before).isLessThanOrEqualTo(1);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            c.send(RawHttp.get("/r/app/one") + RawHttp.get("/r/app/two") + RawHttp.get("/r/app/three"));
            assertThat(c.read().header(FakeFnNode.ECHO_URI)).contains("/r/app/one");
            assertThat(c.read().header(FakeFnNode.ECHO_URI)).contains("/r/app/two");
            assertThat(c.read().header(FakeFnNode.ECHO_URI)).contains("/r/app/three");
        }
    }

    @Test
    void headResponseHasNoBodyAndTheConnectionStaysUsable() throws Exception {
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            RawHttp.Response head = c.send("HEAD /r/app/head HTTP/1.1\r\nHost: fnlb\r\n\r\n").read(true);
            assertThat(head.status()).isEqualTo(200);
            RawHttp.Response next = c.send(RawHttp.get("/r/app/after-head")).read();
            assertThat(next.header(FakeFnNode.ECHO_URI)).contains("/r/app/after-head");
        }
    }

    @Test
    void http10ClientGetsTheWholeBodyAndAClose() throws Exception {
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            c.send("POST /r/app/old HTTP/1.0\r\nHost: fnlb\r\nContent-Length: 3\r\n\r\nabc");
            RawHttp.Response r = c.read();
            assertThat(r.statusLine()).startsWith("HTTP/1.0 200");
            assertThat(r.text()).isEqualTo("abc");
            assertThat(r.header("Transfer-Encoding")).isEmpty();
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void expectContinueIsPassedThrough() throws Exception {
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            c.send("PUT /r/app/expect HTTP/1.1\r\nHost: fnlb\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            RawHttp.Response interim = c.read();
            assertThat(interim.status()).isEqualTo(100);
            RawHttp.Response r = c.send("data").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("data");
        }
    }

    @Test
    void largeDownloadArrivesIntact() throws Exception {
        int size = 8 * 1024 * 1024;
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            RawHttp.Response r = c.send(RawHttp.get("/bytes/" + size)).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).hasSize(size);
            for (int i = 0; i < size; i += 4099) {
                assertThat(r.body()[i]).isEqualTo(FakeFnNode.generatedByte(i));
            }
        }
    }

    @Test
    void pipelinedRequestsWithBodiesAreAnsweredInOrder() throws Exception {
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            c.send("POST /r/app/p1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none"
                    + "POST /r/app/p2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n"
                    + "POST /r/app/p3 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nthr");
            RawHttp.Response first = c.read();
            assertThat(first.text()).isEqualTo("one");
            RawHttp.Response second = c.read();
            assertThat(second.text()).isEqualTo("two");
            c.send("ee"); // the third body completes only now, after its head was parked
            RawHttp.Response third = c.read();
            assertThat(third.header(FakeFnNode.ECHO_URI)).contains("/r/app/p3");
            assertThat(third.text()).isEqualTo("three");
        }
    }
}
