package io.fnlb.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fnlb.testing.FakeFnNode;
import io.fnlb.testing.InProcessFnlb;
import io.fnlb.testing.RawHttp;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Issue 4, fault 1, the target: one of three nodes is killed under steady load from a few
 * keep-alive clients calling many functions; every request that starts after the kill succeeds
 * (refused connects go to the next node, and the node leaves routing at once). Restarted, the
 * node is back in routing after the active checks.
 */
class NodeKilledUnderLoadTest {

    private static final int CLIENTS = 4;
    private static final int FUNCTIONS = 300;

    /** One finished request: when it started, and what went wrong, if anything. */
    private record Call(long startedNanos, String node, String failure) {
    }

    @Test
    void killingOneOfThreeNodesCostsNoErrorsForRequestsStartedAfterTheKill() throws Exception {
        List<FakeFnNode> nodes = List.of(FakeFnNode.launch(), FakeFnNode.launch(), FakeFnNode.launch());
        String list = String.join(",", nodes.stream().map(n -> n.address().toString()).toList());
        FakeFnNode victim = nodes.get(1);
        Queue<Call> calls = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try (InProcessFnlb lb = InProcessFnlb.start("-nodes", list, "-hc-interval", "300ms", "-hc-unhealthy", "2",
                "-hc-healthy", "2", "-hc-timeout", "1")) {
            List<Future<?>> load = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int client = i;
                load.add(clients.submit(() -> steadyLoad(lb, client, running, calls)));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> succeeded(calls, 0) >= 300);
            assertThat(calls).extracting(Call::node).contains(victim.address().toString());

            victim.stop();
            long killed = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).until(() -> startedAfter(calls, killed) >= 1500);
            assertThat(AdminNodeStates.of(lb, victim.address())).isEqualTo("offline");

            victim.start();
            long restarted = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(AdminNodeStates.of(lb, victim.address())).isEqualTo("online"));
            await().atMost(Duration.ofSeconds(5)).until(() -> calls.stream()
                    .anyMatch(c -> c.startedNanos() > restarted && victim.address().toString().equals(c.node())));

            running.set(false);
            for (Future<?> f : load) {
                f.get(30, TimeUnit.SECONDS);
            }
            List<Call> failedAfterKill = calls.stream()
                    .filter(c -> c.startedNanos() > killed && c.failure() != null).toList();
            assertThat(failedAfterKill).as("requests started after the kill that failed").isEmpty();
        } finally {
            running.set(false);
            clients.shutdownNow();
            nodes.forEach(FakeFnNode::close);
        }
    }

    private static long succeeded(Queue<Call> calls, long after) {
        return calls.stream().filter(c -> c.startedNanos() > after && c.failure() == null).count();
    }

    private static long startedAfter(Queue<Call> calls, long after) {
        return calls.stream().filter(c -> c.startedNanos() > after).count();
    }

    // GETs and POSTs with a body, over many functions, on one keep-alive connection while it lasts.
    private static void steadyLoad(InProcessFnlb lb, int client, AtomicBoolean running, Queue<Call> calls) {
        RawHttp c = null;
        for (int i = 0; running.get(); i++) {
            String path = "/r/app/f" + ((i * CLIENTS + client) % FUNCTIONS);
            boolean post = i % 2 == 1;
            String body = "call " + client + "-" + i;
            long started = System.nanoTime();
            try {
                if (c == null) {
                    c = RawHttp.connect(lb.traffic());
                }
                c.send(post
                        ? "POST " + path + " HTTP/1.1\r\nHost: fnlb\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
                        : RawHttp.get(path));
                RawHttp.Response r = c.read();
                String node = r.header(FakeFnNode.NODE_HEADER).orElse(null);
                String failure = null;
                if (r.status() != 200 || !r.complete()) {
                    failure = r.statusLine() + " " + r.text();
                } else if (post && !r.text().equals(body)) {
                    failure = "echo was '" + r.text() + "', not '" + body + "'";
                }
                calls.add(new Call(started, node, failure));
                // As any HTTP client: fnlb may end a connection after a response that says so
                // (it does when a node answers before the whole request body was read).
                if (failure != null || r.header("Connection").filter("close"::equalsIgnoreCase).isPresent()) {
                    c = closeQuietly(c);
                }
            } catch (IOException e) {
                calls.add(new Call(started, null, (post ? "POST " : "GET ") + path + ": " + e));
                c = closeQuietly(c);
            }
        }
        closeQuietly(c);
    }

    private static RawHttp closeQuietly(RawHttp c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // the connection is being dropped anyway
            }
        }
        return null;
    }
}
