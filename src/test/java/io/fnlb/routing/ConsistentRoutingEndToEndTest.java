package io.fnlb.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fnlb.nodes.NodeAddress;
import io.fnlb.nodes.NodeSet;
import io.fnlb.testing.FakeFnNode;
import io.fnlb.testing.InProcessFnlb;
import io.fnlb.testing.RawHttp;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** SPEC §3 through real sockets: every path lands on its home node; loaded homes spill over. */
class ConsistentRoutingEndToEndTest {

    @Test
    void everyPathIsServedByItsHomeNode() throws Exception {
        try (FakeFnNode a = FakeFnNode.launch(); FakeFnNode b = FakeFnNode.launch(); FakeFnNode c = FakeFnNode.launch();
                InProcessFnlb lb = InProcessFnlb.start("-nodes", a.address() + "," + b.address() + "," + c.address(),
                        "-hc-interval", "200ms");
                RawHttp client = RawHttp.connect(lb.traffic())) {
            NodeSet sorted = NodeSet.of(List.of(a.address(), b.address(), c.address()));
            Set<String> served = new HashSet<>();
            for (int i = 0; i < 60; i++) {
                String path = "/r/app" + i + "/fn";
                RawHttp.Response r = client.send(RawHttp.get(path + "?q=" + i)).read();
                String expected = sorted.get(JumpHashRouter.home(path, 3)).toString();
                assertThat(r.header(FakeFnNode.NODE_HEADER)).as(path).contains(expected);
                served.add(expected);
            }
            assertThat(served).hasSize(3);
        }
    }

    @Test
    void unhealthyNodeIsSkippedAndItsKeysMoveToTheRemainingNodes() throws Exception {
        try (FakeFnNode a = FakeFnNode.launch(); FakeFnNode b = FakeFnNode.launch();
                InProcessFnlb lb = InProcessFnlb.start("-nodes", a.address() + "," + b.address(),
                        "-hc-interval", "100ms", "-hc-unhealthy", "1");
                RawHttp client = RawHttp.connect(lb.traffic())) {
            a.healthStatus(503);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                for (int i = 0; i < 20; i++) {
                    assertThat(client.send(RawHttp.get("/r/move/" + i)).read().header(FakeFnNode.NODE_HEADER))
                            .contains(b.address().toString());
                }
            });
        }
    }

    @Test
    void loadedHomeNodeSpillsSomeCallsToTheNextNode() throws Exception {
        try (FakeFnNode a = FakeFnNode.launch(); FakeFnNode b = FakeFnNode.launch();
                InProcessFnlb lb = InProcessFnlb.start("-nodes", a.address() + "," + b.address(), "-hc-interval", "200ms");
                RawHttp client = RawHttp.connect(lb.traffic())) {
            String path = "/r/hot/fn";
            NodeSet sorted = NodeSet.of(List.of(a.address(), b.address()));
            NodeAddress home = sorted.get(JumpHashRouter.home(path, 2));
            FakeFnNode homeNode = home.equals(a.address()) ? a : b;
            homeNode.waitHeader("5s"); // > 2 s: the home is taken only with 10 % probability
            int atHome = 0;
            for (int i = 0; i < 200; i++) {
                RawHttp.Response r = client.send(RawHttp.get(path)).read();
                if (r.header(FakeFnNode.NODE_HEADER).orElseThrow().equals(home.toString())) {
                    atHome++;
                }
            }
            // The first call goes home (no average yet); afterwards about 10 % do.
            assertThat(atHome).isBetween(2, 60);
        }
    }
}
