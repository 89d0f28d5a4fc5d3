package io.fnlb.proxy;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fnlb.testing.FakeFnNode;
import io.fnlb.testing.InProcessFnlb;
import io.fnlb.testing.RawHttp;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 4: a client that goes away mid-upload, mid-download or while its function runs takes its
 * node request with it. The node connection is closed (it is mid-message, so it cannot go back to
 * the pool), and fnlb keeps serving.
 *
 * <p>Each test has its own node and LB, so the node's open connections are exactly the health
 * check's plus those the test causes.
 */
class ClientDisconnectCancelsNodeRequestTest {

    private FakeFnNode node;
    private InProcessFnlb lb;
    private int healthConnections;

    @BeforeEach
    void start() throws Exception {
        node = FakeFnNode.launch();
        lb = InProcessFnlb.start("-nodes", node.address().toString(), "-hc-interval", "1m");
        healthConnections = node.openConnections();
    }

    @AfterEach
    void stop() {
        lb.close();
        node.close();
    }

    /** The node request is gone, and the next request needs (and gets) a new node connection. */
    private void assertCancelledAndStillServing() throws Exception {
        await().atMost(Duration.ofSeconds(5)).until(() -> node.openConnections() == healthConnections);
        long accepted = node.connectionsAccepted();
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            assertThat(c.send(RawHttp.get("/r/app/after")).read().status()).isEqualTo(200);
        }
        assertThat(node.connectionsAccepted()).isEqualTo(accepted + 1);
    }

    @Test
    void clientLeavingMidUploadClosesTheNodeRequest() throws Exception {
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            c.send("POST /sink HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n");
            c.send(new byte[100_000]);
            await().atMost(Duration.ofSeconds(5)).until(() -> node.bodyBytesReceived() == 100_000);
            assertThat(node.openConnections()).isEqualTo(healthConnections + 1);
        }
        assertCancelledAndStillServing();
        assertThat(node.bodyBytesReceived()).isEqualTo(100_000);
    }

    @Test
    void clientLeavingMidDownloadClosesTheNodeRequest() throws Exception {
        try (Socket s = connect(lb.traffic())) {
            s.getOutputStream().write(RawHttp.get("/bytes/1073741824").getBytes(ISO_8859_1));
            InputStream in = s.getInputStream();
            assertThat(in.readNBytes(1 << 20)).hasSize(1 << 20);
            assertThat(node.openConnections()).isEqualTo(healthConnections + 1);
        }
        assertCancelledAndStillServing();
    }

    @Test
    void clientLeavingWhileItsFunctionRunsClosesTheNodeRequest() throws Exception {
        // The fake node reads nothing while it delays, so it notices the LB's close only when it
        // answers. Had the LB not cancelled, that answer would complete the exchange and the
        // connection would stay open in the LB's pool; cancelled, it is gone for good.
        node.delay(Duration.ofMillis(1500));
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            c.send(RawHttp.get("/r/app/slow"));
            await().atMost(Duration.ofSeconds(5)).until(() -> node.requestCount("/r/app/slow") == 1);
        }
        node.delay(Duration.ZERO);
        assertCancelledAndStillServing();
    }

    @Test
    void fiftyAbandonedDownloadsLeaveNoNodeConnectionBehind() throws Exception {
        for (int i = 0; i < 50; i++) {
            try (Socket s = connect(lb.traffic())) {
                s.getOutputStream().write(RawHttp.get("/bytes/104857600").getBytes(ISO_8859_1));
                assertThat(s.getInputStream().readNBytes(64 * 1024)).hasSize(64 * 1024);
            }
        }
        assertCancelledAndStillServing();
    }

    private static Socket connect(InetSocketAddress address) throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", address.getPort()), 5000);
        s.setSoTimeout(30_000);
        return s;
    }
}
