package io.fnlb.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.nodes.NodeAddress;
import io.fnlb.testing.FakeFnNode;
import io.fnlb.testing.InProcessFnlb;
import io.fnlb.testing.RawHttp;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node that takes a request and drops the connection without a byte of answer (crashing, or
 * shutting down while its listener still accepts) may or may not have run it. A request that is
 * safe to send twice, an idempotent method with no body sent, goes to the next node of the ring;
 * anything else gets 502 and is never replayed.
 */
class FailingNodeSendsSafeRequestsElsewhereTest {

    private List<FakeFnNode> nodes;
    private NodeRing ring;
    private InProcessFnlb lb;

    @BeforeEach
    void start() throws Exception {
        nodes = List.of(FakeFnNode.launch(), FakeFnNode.launch());
        ring = new NodeRing(nodes);
        String list = String.join(",", nodes.stream().map(n -> n.address().toString()).toList());
        lb = InProcessFnlb.start("-nodes", list, "-hc-interval", "1m");
    }

    @AfterEach
    void stop() {
        lb.close();
        nodes.forEach(FakeFnNode::close);
    }

    @Test
    void getDroppedByItsHomeNodeIsAnsweredByTheNextNode() throws Exception {
        String key = "/r/app/dropped-get";
        NodeAddress home = ring.home(key);
        FakeFnNode failing = NodeRing.find(nodes, home);
        failing.failMode(FakeFnNode.FailMode.RESET_ON_REQUEST);

        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            RawHttp.Response r = c.send(RawHttp.get(key)).read();

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header(FakeFnNode.NODE_HEADER)).contains(ring.after(home).toString());
        }
        assertThat(failing.requestCount(key)).isEqualTo(1);
    }

    @Test
    void postDroppedByItsHomeNodeIsNeverSentToAnother() throws Exception {
        String key = "/r/app/dropped-post";
        NodeAddress home = ring.home(key);
        NodeRing.find(nodes, home).failMode(FakeFnNode.FailMode.RESET_ON_REQUEST);
        FakeFnNode other = NodeRing.find(nodes, ring.after(home));

        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            RawHttp.Response r = c.send("POST " + key + " HTTP/1.1\r\nHost: fnlb\r\nContent-Length: 0\r\n\r\n").read();

            assertThat(r.status()).isEqualTo(502);
            assertThat(r.text()).isEqualTo("{\"msg\":\"node closed the connection before responding\"}");
        }
        assertThat(other.requestCount(key)).isZero();
    }

    @Test
    void getDroppedByEveryNodeIsA502AfterEachWasTriedOnce() throws Exception {
        String key = "/r/app/dropped-everywhere";
        nodes.forEach(n -> n.failMode(FakeFnNode.FailMode.RESET_ON_REQUEST));

        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            RawHttp.Response r = c.send(RawHttp.get(key)).read();

            assertThat(r.status()).isEqualTo(502);
        }
        for (FakeFnNode node : nodes) {
            assertThat(node.requestCount(key)).isEqualTo(1);
        }
    }
}
