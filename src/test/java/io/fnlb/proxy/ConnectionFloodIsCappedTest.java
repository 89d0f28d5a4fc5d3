package io.fnlb.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fnlb.testing.FakeFnNode;
import io.fnlb.testing.InProcessFnlb;
import io.fnlb.testing.RawHttp;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 4, connection flood: {@code -max-conns} caps concurrent client connections over all
 * ports; one more is answered a short 503 and closed, and once connections go away new ones are
 * served again.
 */
class ConnectionFloodIsCappedTest {

    private static final String REFUSED = "{\"msg\":\"too many connections\"}";

    private FakeFnNode node;

    @BeforeEach
    void startNode() {
        node = FakeFnNode.launch();
    }

    @AfterEach
    void stopNode() {
        node.close();
    }

    private static void assertRefused(RawHttp c) throws Exception {
        RawHttp.Response r = c.read();
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.header("Connection")).contains("close");
        assertThat(r.header("Content-Type")).contains("application/json");
        assertThat(r.text()).isEqualTo(REFUSED);
        assertThat(c.closedByPeer()).isTrue();
    }

    private static void assertServed(RawHttp c, String path) throws Exception {
        assertThat(c.send(RawHttp.get(path)).read().status()).isEqualTo(200);
    }

    /** Waits until a new connection to {@code address} is served (closes of others are seen asynchronously). */
    private static void awaitServedAgain(InetSocketAddress address, String path) {
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
            try (RawHttp c = RawHttp.connect(address)) {
                return c.send(RawHttp.get(path)).read().status() == 200;
            }
        });
    }

    @Test
    void theConnectionOverTheCapIsAnswered503AndClosedAndServedOnceOthersLeave() throws Exception {
        try (InProcessFnlb lb = InProcessFnlb.start("-nodes", node.address().toString(), "-hc-interval", "1m", "-max-conns", "2");
                RawHttp first = RawHttp.connect(lb.traffic());
                RawHttp second = RawHttp.connect(lb.traffic())) {
            assertServed(first, "/r/app/a");
            assertServed(second, "/r/app/b");
            long forwarded = node.requestCount();
            try (RawHttp third = RawHttp.connect(lb.traffic())) {
                // Answered before it says anything: it is never decoded.
                assertRefused(third);
            }
            assertThat(node.requestCount()).isEqualTo(forwarded);

            first.close();
            awaitServedAgain(lb.traffic(), "/r/app/c");
            // The connections within the cap were never disturbed.
            assertServed(second, "/r/app/b");
        }
    }

    @Test
    void aBurstOfConnectionsBeyondTheCapIsRefusedWhileTheServedOnesCarryOn() throws Exception {
        int cap = 5;
        try (InProcessFnlb lb = InProcessFnlb.start("-nodes", node.address().toString(), "-hc-interval", "1m",
                "-max-conns", String.valueOf(cap))) {
            List<RawHttp> served = new ArrayList<>();
            List<RawHttp> burst = new ArrayList<>();
            try {
                for (int i = 0; i < cap; i++) {
                    served.add(RawHttp.connect(lb.traffic()));
                    assertServed(served.get(i), "/r/app/" + i);
                }
                for (int i = 0; i < 60; i++) {
                    burst.add(RawHttp.connect(lb.traffic()));
                }
                for (RawHttp c : burst) {
                    assertRefused(c);
                }
                for (int i = 0; i < cap; i++) {
                    assertServed(served.get(i), "/r/app/again/" + i);
                }
            } finally {
                for (RawHttp c : served) {
                    c.close();
                }
                for (RawHttp c : burst) {
                    c.close();
                }
            }
            awaitServedAgain(lb.traffic(), "/r/app/after");
        }
    }

    @Test
    void theCapCountsConnectionsOnTheManagementPortToo() throws Exception {
        try (InProcessFnlb lb = InProcessFnlb.start("-nodes", node.address().toString(), "-hc-interval", "1m",
                "-max-conns", "1", "-mgmt-listen", "127.0.0.1:0")) {
            try (RawHttp traffic = RawHttp.connect(lb.traffic())) {
                assertServed(traffic, "/r/app/a");
                try (RawHttp admin = RawHttp.connect(lb.admin())) {
                    assertRefused(admin);
                }
            }
            awaitServedAgain(lb.admin(), "/1/lb/nodes");
        }
    }
}
