package io.fnlb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fnlb.nodes.NodeAddress;
import io.fnlb.routing.JumpHashRouter;
import io.fnlb.testing.FakeFnNode;
import io.fnlb.testing.FnlbProcess;
import io.fnlb.testing.RawHttp;
import io.fnlb.testing.SteadyLoad;
import io.fnlb.testing.SteadyLoad.Outcome;
import io.fnlb.testing.SteadyLoad.Result;
import java.io.EOFException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 4, fault 6: SIGTERM to a real fnlb process while six clients keep sending requests, each on
 * a new connection. Every request sent before the signal completes with its whole body (or, with
 * {@code -shutdown-timeout}, is cut no earlier than that timeout, without a partial answer);
 * connections tried while fnlb drains are refused at once; nothing hangs, nothing answers 5xx;
 * exit code 0.
 */
class ShutdownUnderLoadTest {

    private static final List<String> JVM = List.of("--enable-native-access=ALL-UNNAMED");
    private static final int CLIENTS = 6;
    private static final Duration FAST = Duration.ofMillis(200);
    /** The listener closes within milliseconds of the signal; this leaves room for a busy machine. */
    private static final Duration LISTENER_CLOSED_BY = Duration.ofSeconds(1);

    @Test
    void requestsSentBeforeTheSignalCompleteAndLaterConnectionsAreRefused() throws Exception {
        Duration slow = Duration.ofMillis(2500);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
                FakeFnNode fast = FakeFnNode.launch().delay(FAST);
                FakeFnNode slowNode = FakeFnNode.launch();
                FnlbProcess lb = FnlbProcess.startListening(JVM, "-listen", "127.0.0.1:0",
                        "-nodes", fast.address() + "," + slowNode.address(), "-hc-interval", "200ms")) {
            // The clients go to the fast node only: they are between requests for moments, never for seconds.
            List<String> paths = pathsHomedOn(fast.address(), 16, fast.address(), slowNode.address());
            Signalled run = underLoadSignal(lb, executor, paths, fast, slowNode, slow);

            // The slow request kept fnlb draining for seconds: long enough to try connecting meanwhile.
            RawHttp.Response slowAnswer = run.slowRequest.get(slow.toSeconds() + 10, TimeUnit.SECONDS);
            assertThat(slowAnswer.status()).isEqualTo(200);
            assertThat(slowAnswer.complete()).isTrue();
            assertThat(lb.awaitExit(Duration.ofSeconds(20))).as(String.join("\n", lb.output())).isZero();
            long exited = System.nanoTime();
            List<Outcome> outcomes = run.finish(exited);

            List<Outcome> sentBefore = outcomes.stream().filter(o -> o.sentBefore(run.signalled)).toList();
            assertThat(sentBefore).isNotEmpty().allMatch(Outcome::ok);
            assertThat(sentBefore).anyMatch(o -> o.ended() > run.signalled); // in flight at the signal
            assertThat(outcomes).filteredOn(o -> !o.sentBefore(run.signalled)).allMatch(ShutdownUnderLoadTest::cleanAfterSignal);
            List<Outcome> whileDraining = outcomes.stream()
                    .filter(o -> o.started() > run.signalled + LISTENER_CLOSED_BY.toNanos() && o.started() < exited)
                    .toList();
            assertThat(whileDraining).isNotEmpty().allMatch(o -> o.result() == Result.REFUSED);
            assertThat(lb.output()).anyMatch(line -> line.contains("stopped"));
        }
    }

    @Test
    void shutdownTimeoutCutsOnlyWhatRunsLongerAndNothingBeforeIt() throws Exception {
        Duration shutdownTimeout = Duration.ofSeconds(1);
        Duration slow = Duration.ofSeconds(3);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
                FakeFnNode fast = FakeFnNode.launch().delay(FAST);
                FakeFnNode slowNode = FakeFnNode.launch();
                FnlbProcess lb = FnlbProcess.startListening(JVM, "-listen", "127.0.0.1:0",
                        "-nodes", fast.address() + "," + slowNode.address(), "-hc-interval", "200ms",
                        "-shutdown-timeout", Long.toString(shutdownTimeout.toSeconds()))) {
            // Half the paths go to the slow node: some of those requests are cut, some finish in time.
            Signalled run = underLoadSignal(lb, executor, SteadyLoad.bytesPaths(5000, 32), fast, slowNode, slow);

            assertThat(lb.awaitExit(Duration.ofSeconds(20))).as(String.join("\n", lb.output())).isZero();
            long exited = System.nanoTime();
            assertThat(Duration.ofNanos(exited - run.signalled)).isBetween(shutdownTimeout, shutdownTimeout.plusSeconds(10));
            List<Outcome> outcomes = run.finish(exited);

            // Cut: the connection ends without a byte of an answer, never before the timeout.
            assertThat(run.slowRequest).failsWithin(Duration.ofSeconds(5))
                    .withThrowableThat().havingRootCause().isInstanceOf(EOFException.class).withMessage("connection closed");
            assertThat(outcomes).filteredOn(o -> o.sentBefore(run.signalled))
                    .isNotEmpty()
                    .allMatch(o -> o.ok() || (o.result() == Result.CLOSED_UNANSWERED
                            && o.ended() - run.signalled >= shutdownTimeout.toNanos()));
            assertThat(outcomes).filteredOn(o -> !o.sentBefore(run.signalled)).allMatch(ShutdownUnderLoadTest::cleanAfterSignal);
            assertThat(lb.output()).anyMatch(line -> line.contains("shutdown timeout reached with"));
        }
    }

    /** A request begun after the signal: served whole, or refused, or closed before any answer. */
    private static boolean cleanAfterSignal(Outcome o) {
        return o.ok() || o.result() == Result.REFUSED || o.result() == Result.CLOSED_UNANSWERED;
    }

    /**
     * Slows {@code slow} down, starts the clients, waits until they are in full swing and one extra
     * request is being served by the slow node, then sends SIGTERM.
     */
    private static Signalled underLoadSignal(FnlbProcess lb, ExecutorService executor, List<String> paths,
            FakeFnNode fast, FakeFnNode slow, Duration slowDelay) throws Exception {
        // Slow only now: the node's health checks are slow too, and the first round (before the
        // port opens) would wait for them.
        slow.delay(slowDelay);
        SteadyLoad load = SteadyLoad.start(lb.traffic(), CLIENTS, paths);
        await().atMost(Duration.ofSeconds(15)).until(() -> load.count(Outcome::ok) >= CLIENTS);
        String slowPath = pathsHomedOn(slow.address(), 1, fast.address(), slow.address()).get(0);
        long before = slow.requestCount(slowPath);
        CompletableFuture<RawHttp.Response> slowRequest = CompletableFuture.supplyAsync(() -> {
            try (RawHttp client = RawHttp.connect(lb.traffic())) {
                return client.send(RawHttp.get(slowPath)).read();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, executor);
        await().atMost(Duration.ofSeconds(10)).until(() -> slow.requestCount(slowPath) > before);
        long signalled = System.nanoTime();
        lb.signal("TERM");
        return new Signalled(load, signalled, slowRequest);
    }

    /** The load, when the signal was sent, and the one request known to be on the slow node then. */
    private record Signalled(SteadyLoad load, long signalled, CompletableFuture<RawHttp.Response> slowRequest) {

        /** Lets the clients hit the closed port a few times more, stops them, and returns every outcome. */
        List<Outcome> finish(long exited) throws InterruptedException {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> load.count(o -> o.started() > exited && o.result() == Result.REFUSED) >= CLIENTS);
            load.close();
            return load.outcomes();
        }
    }

    /** {@code count} {@code /bytes/N} paths whose home among {@code nodes} is {@code home}. */
    private static List<String> pathsHomedOn(NodeAddress home, int count, NodeAddress... nodes) {
        List<NodeAddress> sorted = Stream.of(nodes).sorted(Comparator.naturalOrder()).toList();
        return Stream.iterate(9000, n -> n + 1)
                .map(n -> "/bytes/" + n)
                .filter(path -> sorted.get(JumpHashRouter.home(path, sorted.size())).equals(home))
                .limit(count)
                .toList();
    }
}
