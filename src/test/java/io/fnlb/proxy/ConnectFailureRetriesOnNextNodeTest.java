package io.fnlb.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fnlb.nodes.NodeAddress;
import io.fnlb.testing.BlackHoleListener;
import io.fnlb.testing.FakeFnNode;
import io.fnlb.testing.InProcessFnlb;
import io.fnlb.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 4, fault 1: a request whose node cannot be connected to (refused, or hung past
 * {@code -connect-timeout}) provably never reached it, so it goes to the next node of the ring,
 * body and all; the node leaves routing at once, without waiting for a health round (there is
 * none here: the interval is a minute).
 */
class ConnectFailureRetriesOnNextNodeTest {

    private List<FakeFnNode> nodes;
    private NodeRing ring;
    private InProcessFnlb lb;

    @BeforeEach
    void start() throws Exception {
        nodes = List.of(FakeFnNode.launch(), FakeFnNode.launch(), FakeFnNode.launch());
        ring = new NodeRing(nodes);
        String list = String.join(",", nodes.stream().map(n -> n.address().toString()).toList());
        lb = InProcessFnlb.start("-nodes", list, "-hc-interval", "1m", "-connect-timeout", "300ms");
    }

    @AfterEach
    void stop() {
        lb.close();
        nodes.forEach(FakeFnNode::close);
    }

    @Test
    void refusedHomeNodeSendsTheRequestToTheNextNodeAndLeavesRoutingAtOnce() throws Exception {
        String key = "/r/app/refused";
        NodeAddress home = ring.home(key);
        NodeRing.find(nodes, home).stop();

        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            RawHttp.Response r = c.send(RawHttp.get(key)).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header(FakeFnNode.NODE_HEADER)).contains(ring.after(home).toString());
            // Host was given by the client, so it is passed on as it was, not replaced by a node's.
            assertThat(r.header(FakeFnNode.ECHO_HEADER_PREFIX + "Host")).contains("fnlb");
        }
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(AdminNodeStates.of(lb, home)).isEqualTo("offline"));
        for (FakeFnNode other : nodes) {
            if (!other.address().equals(home)) {
                assertThat(AdminNodeStates.of(lb, other.address())).isEqualTo("online");
            }
        }
    }

    @Test
    void requestWithoutHostGetsTheHostOfTheNodeItIsRetriedOn() throws Exception {
        String key = "/r/app/no-host";
        NodeAddress home = ring.home(key);
        NodeRing.find(nodes, home).stop();
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            RawHttp.Response r = c.send("GET " + key + " HTTP/1.0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header(FakeFnNode.ECHO_HEADER_PREFIX + "Host")).contains(ring.after(home).toString());
        }
    }

    @Test
    void postWhoseBodyArrivesWhileConnectingToAHungNodeIsSentWholeToTheNextNode() throws Exception {
        String key = "/sink";
        NodeAddress home = ring.home(key);
        FakeFnNode homeNode = NodeRing.find(nodes, home);
        FakeFnNode next = NodeRing.find(nodes, ring.after(home));
        homeNode.stop();
        int size = 256 * 1024;
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = FakeFnNode.generatedByte(i);
        }
        long receivedBefore = next.bodyBytesReceived();

        try (BlackHoleListener hung = BlackHoleListener.on(homeNode.port());
                RawHttp c = RawHttp.connect(lb.traffic())) {
            long started = System.nanoTime();
            c.send(("POST " + key + " HTTP/1.1\r\nHost: fnlb\r\nContent-Length: " + size + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            c.send(body);
            RawHttp.Response r = c.read();
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("{\"bytes\":" + size + "}");
            assertThat(r.header(FakeFnNode.NODE_HEADER)).contains(next.address().toString());
            assertThat(next.bodyBytesReceived() - receivedBefore).isEqualTo(size);
            // It waited for the connect timeout, and not much longer.
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(290)).isLessThan(Duration.ofSeconds(3));
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(AdminNodeStates.of(lb, home)).isEqualTo("offline"));

            // The hung node is out of routing now: the next call does not wait for it again.
            long again = System.nanoTime();
            assertThat(c.send(RawHttp.get("/r/app/after-hang")).read().status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - again)).isLessThan(Duration.ofMillis(290));
        }
    }

    @Test
    void everyNodeRefusingAnswers502AfterTryingEachOnce() throws Exception {
        nodes.forEach(FakeFnNode::stop);
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            c.send("PUT /r/app/all-down HTTP/1.1\r\nHost: fnlb\r\nContent-Length: 5\r\n\r\nhello");
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.header("Content-Type")).contains("application/json");
            assertThat(r.text()).isEqualTo("{\"msg\":\"could not connect to node: connection refused\"}");
            // The LB answered itself and the request was whole: the connection stays usable.
            assertThat(c.send(RawHttp.get("/r/app/all-down")).read().status()).isIn(502, 503);
        }
        // Each node was tried, so each was reported and is out of routing.
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(AdminNodeStates.of(lb).values()).containsExactly("offline", "offline", "offline"));
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            assertThat(c.send(RawHttp.get("/r/app/all-down")).read().text()).isEqualTo("{\"msg\":\"no nodes available\"}");
        }
    }

    @Test
    void everyNodeHungAnswers502AfterOneConnectTimeoutEach() throws Exception {
        List<BlackHoleListener> holes = new ArrayList<>();
        try {
            for (FakeFnNode node : nodes) {
                node.stop();
                holes.add(BlackHoleListener.on(node.port()));
            }
            try (RawHttp c = RawHttp.connect(lb.traffic())) {
                long started = System.nanoTime();
                RawHttp.Response r = c.send(RawHttp.get("/r/app/all-hung")).read();
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertThat(r.status()).isEqualTo(502);
                assertThat(r.text()).isEqualTo("{\"msg\":\"could not connect to node: connect timed out\"}");
                // Three nodes, 300 ms each: every node was tried, and none twice (that would be 1.2 s).
                assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(870)).isLessThan(Duration.ofMillis(1190));
            }
        } finally {
            for (BlackHoleListener hole : holes) {
                hole.close();
            }
        }
    }
}
