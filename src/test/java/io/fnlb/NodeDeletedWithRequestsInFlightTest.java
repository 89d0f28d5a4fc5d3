package io.fnlb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fnlb.nodes.NodeAddress;
import io.fnlb.routing.JumpHashRouter;
import io.fnlb.testing.FakeFnNode;
import io.fnlb.testing.InProcessFnlb;
import io.fnlb.testing.RawHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 4, fault 5: a node deleted through the admin API while slow requests to it are in flight.
 * Those requests finish on it with their whole bodies; new requests for the same paths go to the
 * other nodes at once, without waiting for the in-flight ones or for a health round.
 */
class NodeDeletedWithRequestsInFlightTest {

    private static final int IN_FLIGHT = 4;
    private static final Duration SLOW = Duration.ofSeconds(3);

    @Test
    void inFlightRequestsFinishWholeAndNewOnesGoElsewhereAtOnce() throws Exception {
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
                FakeFnNode a = FakeFnNode.launch(); FakeFnNode b = FakeFnNode.launch(); FakeFnNode c = FakeFnNode.launch();
                InProcessFnlb lb = InProcessFnlb.start("-nodes", a.address() + "," + b.address() + "," + c.address(),
                        "-hc-interval", "200ms")) {
            List<String> paths = pathsHomedOn(a.address(), List.of(a.address(), b.address(), c.address()));
            a.delay(SLOW);
            List<CompletableFuture<RawHttp.Response>> inFlight = new ArrayList<>();
            for (String path : paths) {
                inFlight.add(CompletableFuture.supplyAsync(() -> get(lb, path), clients));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> received(a, paths) == IN_FLIGHT);

            try (RawHttp admin = RawHttp.connect(lb.admin())) {
                String body = "{\"node\":\"" + a.address() + "\"}";
                RawHttp.Response deleted = admin.send("DELETE /1/lb/nodes HTTP/1.1\r\nHost: fnlb\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body).read();
                assertThat(deleted.status()).isEqualTo(200);
                assertThat(deleted.text()).isEqualTo("{\"msg\":\"node deleted\"}");
            }
            for (String path : paths) {
                RawHttp.Response r = get(lb, path);
                assertThat(r.status()).as(path).isEqualTo(200);
                assertThat(r.complete()).as(path).isTrue();
                assertThat(r.body()).as(path).isEqualTo(expectedBody(path));
                assertThat(r.header(FakeFnNode.NODE_HEADER)).as(path).isPresent().get()
                        .isIn(b.address().toString(), c.address().toString());
            }
            // "At once": the new requests did not wait behind the slow ones still running on a.
            assertThat(inFlight).noneMatch(CompletableFuture::isDone);
            assertThat(received(a, paths)).isEqualTo(IN_FLIGHT);

            for (int i = 0; i < IN_FLIGHT; i++) {
                RawHttp.Response r = inFlight.get(i).get(SLOW.toSeconds() + 10, TimeUnit.SECONDS);
                String path = paths.get(i);
                assertThat(r.status()).as(path).isEqualTo(200);
                assertThat(r.complete()).as(path).isTrue();
                assertThat(r.body()).as(path).isEqualTo(expectedBody(path));
                assertThat(r.header(FakeFnNode.NODE_HEADER)).as(path).contains(a.address().toString());
            }
        }
    }

    /** {@code /bytes/N} paths whose home, among {@code nodes}, is {@code home}; N differs per path. */
    private static List<String> pathsHomedOn(NodeAddress home, List<NodeAddress> nodes) {
        List<NodeAddress> sorted = nodes.stream().sorted(Comparator.naturalOrder()).toList();
        return Stream.iterate(100_000, n -> n + 1)
                .map(n -> "/bytes/" + n)
                .filter(path -> sorted.get(JumpHashRouter.home(path, sorted.size())).equals(home))
                .limit(IN_FLIGHT)
                .toList();
    }

    private static long received(FakeFnNode node, List<String> paths) {
        return paths.stream().mapToLong(node::requestCount).sum();
    }

    private static RawHttp.Response get(InProcessFnlb lb, String path) {
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            return c.send(RawHttp.get(path)).read();
        } catch (Exception e) {
            throw new IllegalStateException(path + ": " + e, e);
        }
    }

    private static byte[] expectedBody(String path) {
        int length = Integer.parseInt(path.substring("/bytes/".length()));
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++) {
            body[i] = FakeFnNode.generatedByte(i);
        }
        return body;
    }
}
