package io.fnlb.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fnlb.testing.FakeFnNode;
import io.fnlb.testing.InProcessFnlb;
import io.fnlb.testing.RawHttp;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** SPEC §4: the exact answers when the LB cannot get a response, and that it keeps serving. */
class ProxyAnswersErrorsTest {

    @Test
    void noHealthyNodeAnswers503WithJson() throws Exception {
        try (InProcessFnlb lb = InProcessFnlb.start("-hc-interval", "200ms");
                RawHttp c = RawHttp.connect(lb.traffic())) {
            RawHttp.Response r = c.send(RawHttp.get("/r/app/fn")).read();
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("Content-Type")).contains("application/json");
            assertThat(r.text()).isEqualTo("{\"msg\":\"no nodes available\"}");
            // The connection stays usable after an answer the LB gave itself.
            assertThat(c.send(RawHttp.get("/r/app/fn")).read().status()).isEqualTo(503);
        }
    }

    @Test
    void noHealthyNodeDiscardsTheBodyAndKeepsTheConnection() throws Exception {
        try (InProcessFnlb lb = InProcessFnlb.start("-hc-interval", "200ms");
                RawHttp c = RawHttp.connect(lb.traffic())) {
            c.send("POST /r/app/fn HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(c.read().status()).isEqualTo(503);
            assertThat(c.send(RawHttp.get("/r/app/fn")).read().text()).isEqualTo("{\"msg\":\"no nodes available\"}");
        }
    }

    @Test
    void onlyNodeRefusingConnectionsGets502ThenLeavesRoutingAtOnce() throws Exception {
        try (FakeFnNode node = FakeFnNode.launch();
                InProcessFnlb lb = InProcessFnlb.start("-nodes", node.address().toString(), "-hc-interval", "1m")) {
            node.stop(); // still healthy for the health checker until the next round, a minute away
            try (RawHttp c = RawHttp.connect(lb.traffic())) {
                RawHttp.Response r = c.send(RawHttp.get("/r/app/fn")).read();
                assertThat(r.status()).isEqualTo(502);
                assertThat(r.text()).isEqualTo("{\"msg\":\"could not connect to node: connection refused\"}");
                // Passive health took it out; active checks bring it back (NodeKilledUnderLoadTest).
                await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                        assertThat(c.send(RawHttp.get("/r/app/fn")).read().text()).isEqualTo("{\"msg\":\"no nodes available\"}"));
            }
        }
    }

    @Test
    void nodeResettingBeforeAnsweringGets502() throws Exception {
        try (FakeFnNode node = FakeFnNode.launch();
                InProcessFnlb lb = InProcessFnlb.start("-nodes", node.address().toString(), "-hc-interval", "1m")) {
            node.failMode(FakeFnNode.FailMode.RESET_ON_REQUEST);
            try (RawHttp c = RawHttp.connect(lb.traffic())) {
                RawHttp.Response r = c.send(RawHttp.get("/r/app/fn")).read();
                assertThat(r.status()).isEqualTo(502);
                assertThat(r.text()).isEqualTo("{\"msg\":\"node closed the connection before responding\"}");
            }
        }
    }

    @Test
    void nodeDyingMidResponseEndsTheClientConnectionInsteadOfFakingACompleteBody() throws Exception {
        try (FakeFnNode node = FakeFnNode.launch();
                InProcessFnlb lb = InProcessFnlb.start("-nodes", node.address().toString(), "-hc-interval", "1m")) {
            node.failMode(FakeFnNode.FailMode.RESET_MID_RESPONSE);
            try (RawHttp c = RawHttp.connect(lb.traffic())) {
                RawHttp.Response r = c.send(RawHttp.get("/r/app/fn")).read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.complete()).isFalse();
            }
            node.failMode(FakeFnNode.FailMode.NONE);
            try (RawHttp c = RawHttp.connect(lb.traffic())) {
                assertThat(c.send(RawHttp.get("/r/app/fn")).read().status()).isEqualTo(200);
            }
        }
    }

    @Test
    void malformedPathEscapeIs400() throws Exception {
        try (FakeFnNode node = FakeFnNode.launch();
                InProcessFnlb lb = InProcessFnlb.start("-nodes", node.address().toString());
                RawHttp c = RawHttp.connect(lb.traffic())) {
            RawHttp.Response r = c.send(RawHttp.get("/r/app/%zz")).read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.text()).startsWith("{\"msg\":\"malformed request path: ");
        }
    }

    @Test
    void oversizedRequestLineIs414AndHeadersAre431() throws Exception {
        try (FakeFnNode node = FakeFnNode.launch();
                InProcessFnlb lb = InProcessFnlb.start("-nodes", node.address().toString())) {
            try (RawHttp c = RawHttp.connect(lb.traffic())) {
                RawHttp.Response r = c.send(RawHttp.get("/r/app/" + "a".repeat(10_000))).read();
                assertThat(r.status()).isEqualTo(414);
                assertThat(r.text()).isEqualTo("{\"msg\":\"request line too long\"}");
                assertThat(c.closedByPeer()).isTrue();
            }
            try (RawHttp c = RawHttp.connect(lb.traffic())) {
                RawHttp.Response r = c.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(70_000) + "\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(431);
                assertThat(r.text()).isEqualTo("{\"msg\":\"request headers too large\"}");
            }
            try (RawHttp c = RawHttp.connect(lb.traffic())) {
                assertThat(c.send(RawHttp.get("/r/app/ok")).read().status()).isEqualTo(200);
            }
        }
    }

    @Test
    void slowNodeIsNotCutShortByAnyDefaultTimeout() throws Exception {
        try (FakeFnNode node = FakeFnNode.launch();
                InProcessFnlb lb = InProcessFnlb.start("-nodes", node.address().toString())) {
            node.delay(Duration.ofSeconds(6));
            try (RawHttp c = RawHttp.connect(lb.traffic())) {
                RawHttp.Response r = c.send(RawHttp.get("/r/app/slow")).read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.complete()).isTrue();
            }
        }
    }
}
