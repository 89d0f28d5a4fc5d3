package io.fnlb.proxy;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fnlb.testing.FakeFnNode;
import io.fnlb.testing.InProcessFnlb;
import io.fnlb.testing.RawHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 4, slow clients: {@code -header-timeout}, {@code -body-timeout} and {@code -idle-timeout}
 * end connections that hold fnlb without making progress, free the node connection with them, and
 * never cut a client that is waiting for fnlb or for its node.
 */
class SlowClientsAreTimedOutTest {

    private static final Duration SHORT = Duration.ofMillis(400);
    private static final String SHORT_FLAG = "400ms";

    private FakeFnNode node;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void startNode() {
        node = FakeFnNode.launch();
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        node.close();
    }

    private InProcessFnlb lb(String... flags) throws Exception {
        String[] all = new String[flags.length + 4];
        all[0] = "-nodes";
        all[1] = node.address().toString();
        all[2] = "-hc-interval";
        all[3] = "1m";
        System.arraycopy(flags, 0, all, 4, flags.length);
        return InProcessFnlb.start(all);
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private long forwarded() {
        return node.requestCount() - node.requestCount("/version");
    }

    @Test
    void aConnectionThatSendsNothingIsClosedWithoutAWordAtTheHeaderTimeout() throws Exception {
        try (InProcessFnlb lb = lb("-header-timeout", SHORT_FLAG, "-idle-timeout", "1m")) {
            long start = System.nanoTime();
            try (RawHttp c = RawHttp.connect(lb.traffic())) {
                // closedByPeer reads one byte: end of stream there means not a byte was answered.
                assertThat(c.closedByPeer()).isTrue();
            }
            assertThat(millisSince(start)).isBetween(SHORT.toMillis(), 30_000L);
        }
    }

    @Test
    void aHeadThatStopsHalfWayIsAnswered408() throws Exception {
        try (InProcessFnlb lb = lb("-header-timeout", SHORT_FLAG, "-idle-timeout", "1m");
                RawHttp c = RawHttp.connect(lb.traffic())) {
            long start = System.nanoTime();
            RawHttp.Response r = c.send("GET /r/app/fn HTTP/1.1\r\nHost: x\r\nX-Half: ").read();
            assertThat(millisSince(start)).isGreaterThanOrEqualTo(SHORT.toMillis());
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.header("Connection")).contains("close");
            assertThat(r.text()).isEqualTo("{\"msg\":\"request headers not received in time\"}");
            assertThat(c.closedByPeer()).isTrue();
            assertThat(forwarded()).isZero();
        }
    }

    @Test
    void aHeadDrippedByteByByteIsCutAtTheHeaderTimeoutNotKeptAliveByTheDrip() throws Exception {
        try (InProcessFnlb lb = lb("-header-timeout", SHORT_FLAG, "-idle-timeout", "1m");
                RawHttp c = RawHttp.connect(lb.traffic())) {
            long start = System.nanoTime();
            byte[] head = "GET /r/app/fn HTTP/1.1\r\nHost: x\r\nX-Slow: ".concat("s".repeat(200)).getBytes(ISO_8859_1);
            int[] next = {0};
            scheduler.scheduleAtFixedRate(() -> {
                try {
                    if (next[0] < head.length) {
                        c.send(new byte[] {head[next[0]++]});
                    }
                } catch (IOException closed) {
                    throw new IllegalStateException(closed);
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(408);
            // Bytes kept coming all along; the head as a whole still had to arrive in time.
            assertThat(millisSince(start)).isBetween(SHORT.toMillis(), 3 * SHORT.toMillis());
            assertThat(forwarded()).isZero();
        }
    }

    @Test
    void aKeptAliveConnectionIdlesForTheIdleTimeoutThenHasTheHeaderTimeoutForItsNextHead() throws Exception {
        try (InProcessFnlb lb = lb("-header-timeout", SHORT_FLAG, "-idle-timeout", "1500ms")) {
            try (RawHttp c = RawHttp.connect(lb.traffic())) {
                // The stray line end some clients send after a request starts no new head.
                assertThat(c.send(RawHttp.get("/r/app/fn") + "\r\n").read().status()).isEqualTo(200);
                long idleFrom = System.nanoTime();
                assertThat(c.closedByPeer()).isTrue();
                // Closed silently at the idle timeout, well after the (shorter) header timeout.
                assertThat(millisSince(idleFrom)).isBetween(1200L, 30_000L);
            }
            try (RawHttp c = RawHttp.connect(lb.traffic())) {
                assertThat(c.send(RawHttp.get("/r/app/fn")).read().status()).isEqualTo(200);
                long headFrom = System.nanoTime();
                RawHttp.Response r = c.send("GET /r/app/fn HTTP/1.1\r\nHo").read();
                assertThat(r.status()).isEqualTo(408);
                assertThat(millisSince(headFrom)).isBetween(SHORT.toMillis(), 1400L);
            }
        }
    }

    @Test
    void aStalledBodyClosesTheClientConnectionAndTheNodeRequest() throws Exception {
        try (InProcessFnlb lb = lb("-body-timeout", SHORT_FLAG)) {
            int before = node.openConnections();
            try (RawHttp c = RawHttp.connect(lb.traffic())) {
                long sentAt = System.nanoTime();
                // /sink answers only after the whole body, so nothing is answered before the stall.
                c.send("POST /sink HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello");
                await().atMost(Duration.ofSeconds(5)).until(() -> node.bodyBytesReceived() == 5);
                assertThat(node.openConnections()).isEqualTo(before + 1);
                assertThat(c.closedByPeer()).isTrue();
                assertThat(millisSince(sentAt)).isBetween(SHORT.toMillis(), 30_000L);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> node.openConnections() == before);
            try (RawHttp c = RawHttp.connect(lb.traffic())) {
                assertThat(c.send(RawHttp.get("/r/app/after")).read().status()).isEqualTo(200);
            }
        }
    }

    @Test
    void aBodyHeldBackByFnlbsOwnBackpressureIsNotTimedOut() throws Exception {
        // The node reads nothing for a while, so fnlb stops reading the client for much longer
        // than the body timeout; the client is not to blame and must not be cut.
        node.delay(Duration.ofMillis(1500));
        long size = 64L << 20;
        try (InProcessFnlb lb = lb("-body-timeout", "300ms");
                RawHttp c = RawHttp.connect(lb.traffic())) {
            c.send("POST /sink HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n");
            OutputStream out = c.output();
            byte[] block = new byte[64 * 1024];
            long start = System.nanoTime();
            for (long sent = 0; sent < size; sent += block.length) {
                out.write(block);
            }
            out.flush();
            assertThat(millisSince(start)).isGreaterThan(1000);
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("{\"bytes\":" + size + "}");
        }
    }

    @Test
    void waitingForTheNodesResponseIsNotTheClientsTime() throws Exception {
        node.delay(Duration.ofMillis(1200));
        try (InProcessFnlb lb = lb("-header-timeout", "300ms", "-body-timeout", "300ms", "-idle-timeout", "300ms");
                RawHttp c = RawHttp.connect(lb.traffic())) {
            RawHttp.Response r = c.send("POST /r/app/slow HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("hello");
        }
    }

    @Test
    void aClientWaitingForTheNodes100ContinueIsNotTimedOut() throws Exception {
        try (ContinueLateNode late = new ContinueLateNode(scheduler, Duration.ofMillis(1000));
                InProcessFnlb lb = InProcessFnlb.start("-nodes", late.address(), "-hc-interval", "1m", "-body-timeout", "300ms");
                RawHttp c = RawHttp.connect(lb.traffic())) {
            c.send("POST /r/app/upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            RawHttp.Response interim = c.read();
            assertThat(interim.status()).isEqualTo(100);
            RawHttp.Response r = c.send("hello").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("{\"bytes\":5}");
        }
    }

    /**
     * A node on a plain socket that answers health checks, and answers {@code Expect: 100-continue}
     * only after {@code lateBy}, as an Fn server does when the function reads its body only once
     * its container has started.
     */
    private static final class ContinueLateNode implements AutoCloseable {

        private final ServerSocket server;
        private final ScheduledExecutorService scheduler;
        private final Duration lateBy;
        private final ConcurrentLinkedQueue<Socket> sockets = new ConcurrentLinkedQueue<>();

        ContinueLateNode(ScheduledExecutorService scheduler, Duration lateBy) throws IOException {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.scheduler = scheduler;
            this.lateBy = lateBy;
            Thread.ofVirtual().start(this::accept);
        }

        String address() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        private void accept() {
            try {
                while (true) {
                    Socket s = server.accept();
                    sockets.add(s);
                    Thread.ofVirtual().start(() -> serve(s));
                }
            } catch (IOException closed) {
                // stopped
            }
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                for (String head = head(in); head != null; head = head(in)) {
                    String lower = head.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("get /version ")) {
                        answer(out, "{\"version\":\"0.3.0\"}");
                        continue;
                    }
                    int at = lower.indexOf("content-length:");
                    int length = Integer.parseInt(lower.substring(at + 15, lower.indexOf('\r', at)).strip());
                    if (lower.contains("expect: 100-continue")) {
                        scheduler.schedule(() -> write(out, "HTTP/1.1 100 Continue\r\n\r\n"), lateBy.toMillis(), TimeUnit.MILLISECONDS);
                    }
                    byte[] body = in.readNBytes(length);
                    answer(out, "{\"bytes\":" + body.length + "}");
                }
            } catch (IOException closed) {
                // the peer went away
            }
        }

        private static String head(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1) {
                head.write(c);
                int n = head.size();
                byte[] b = head.toByteArray();
                if (n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n') {
                    return head.toString(ISO_8859_1);
                }
            }
            return null;
        }

        private static void answer(OutputStream out, String json) {
            write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + json.length() + "\r\n\r\n" + json);
        }

        private static synchronized void write(OutputStream out, String text) {
            try {
                out.write(text.getBytes(ISO_8859_1));
                out.flush();
            } catch (IOException closed) {
                // the peer went away
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
