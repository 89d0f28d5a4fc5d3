package io.fnlb.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fnlb.testing.FakeFnNode;
import io.fnlb.testing.InProcessFnlb;
import io.fnlb.testing.RawHttp;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 4: {@code -max-request-line} and {@code -max-header-bytes} bound what a client can make
 * fnlb hold for one request head: over them the answer is 414 or 431, the connection closes and
 * leaves nothing behind (with {@code -max-conns 1}, the next connection is served), and nothing
 * reaches a node.
 */
class ProxyEnforcesRequestSizeLimitsTest {

    private static final int LINE = 300;
    private static final int HEADERS = 1024;

    private static FakeFnNode node;
    private static InProcessFnlb lb;

    @BeforeAll
    static void start() throws Exception {
        node = FakeFnNode.launch();
        lb = InProcessFnlb.start("-nodes", node.address().toString(), "-hc-interval", "1m",
                "-max-request-line", String.valueOf(LINE), "-max-header-bytes", String.valueOf(HEADERS), "-max-conns", "1");
    }

    @AfterAll
    static void stop() {
        lb.close();
        node.close();
    }

    /** A GET whose request line, without its CRLF, is exactly {@code length} bytes. */
    private static String requestLineOf(int length) {
        String frame = "GET /r/app/ HTTP/1.1";
        return "GET /r/app/" + "a".repeat(length - frame.length()) + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    /** Connects once the previous connection's slot is free again (its close is counted asynchronously). */
    private static RawHttp connectWhenFree() {
        RawHttp[] served = new RawHttp[1];
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
            RawHttp c = RawHttp.connect(lb.traffic());
            try {
                if (c.send(RawHttp.get("/r/app/probe")).read().status() == 200) {
                    served[0] = c;
                    return true;
                }
            } finally {
                if (served[0] == null) {
                    c.close();
                }
            }
            return false;
        });
        return served[0];
    }

    @Test
    void aRequestLineAtTheLimitIsServedAndOneByteMoreIs414() throws Exception {
        try (RawHttp c = connectWhenFree()) {
            RawHttp.Response r = c.send(requestLineOf(LINE)).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header(FakeFnNode.ECHO_URI)).contains("/r/app/" + "a".repeat(LINE - 20));
            long forwarded = node.requestCount();

            r = c.send(requestLineOf(LINE + 1)).read();
            assertThat(r.status()).isEqualTo(414);
            assertThat(r.header("Connection")).contains("close");
            assertThat(r.text()).isEqualTo("{\"msg\":\"request line too long\"}");
            assertThat(c.closedByPeer()).isTrue();
            assertThat(node.requestCount()).isEqualTo(forwarded);
        }
        try (RawHttp c = connectWhenFree()) {
            assertThat(c.send(RawHttp.get("/r/app/after")).read().status()).isEqualTo(200);
        }
    }

    @Test
    void headersOverTheLimitAre431AndTheConnectionLeavesNothingBehind() throws Exception {
        try (RawHttp c = connectWhenFree()) {
            // "Host: x" and the header below come to about HEADERS - 20 bytes: under the limit.
            RawHttp.Response r = c.send("GET /r/app/h HTTP/1.1\r\nHost: x\r\nX-Pad: " + "p".repeat(HEADERS - 40) + "\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            long forwarded = node.requestCount();

            r = c.send("GET /r/app/h HTTP/1.1\r\nHost: x\r\nX-Pad: " + "p".repeat(HEADERS) + "\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(431);
            assertThat(r.header("Connection")).contains("close");
            assertThat(r.text()).isEqualTo("{\"msg\":\"request headers too large\"}");
            assertThat(c.closedByPeer()).isTrue();
            assertThat(node.requestCount()).isEqualTo(forwarded);
        }
        // Many small headers add up the same way as one large one.
        try (RawHttp c = connectWhenFree()) {
            RawHttp.Response r = c.send("GET /r/app/h HTTP/1.1\r\nHost: x\r\n" + "X-N: 1234567890\r\n".repeat(HEADERS / 10) + "\r\n").read();
            assertThat(r.status()).isEqualTo(431);
            assertThat(c.closedByPeer()).isTrue();
        }
        try (RawHttp c = connectWhenFree()) {
            assertThat(c.send(RawHttp.get("/r/app/after")).read().status()).isEqualTo(200);
        }
    }
}
