package io.fnlb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fnlb.testing.FakeFnNode;
import io.fnlb.testing.FnlbProcess;
import io.fnlb.testing.RawHttp;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * SPEC §8 on a real process started by the launcher {@code bin/fnlb}: SIGINT, SIGTERM and SIGQUIT
 * drain in-flight requests and exit 0 (the launcher turns SIGQUIT, which the JVM reserves, into SIGTERM).
 */
class LifecycleSignalsTest {

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT", "QUIT"})
    void stopSignalLetsTheInFlightRequestFinishAndExitsZero(String signal) throws Exception {
        try (FakeFnNode node = FakeFnNode.launch();
                FnlbProcess lb = FnlbProcess.startWithLauncher(List.of(), "-listen", "127.0.0.1:0",
                        "-nodes", node.address().toString(), "-hc-interval", "200ms")) {
            node.delay(Duration.ofMillis(1500));
            long before = node.requestCount();
            CompletableFuture<RawHttp.Response> inFlight = CompletableFuture.supplyAsync(() -> {
                try (RawHttp c = RawHttp.connect(lb.traffic())) {
                    return c.send(RawHttp.get("/r/app/slow")).read();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> node.requestCount() > before);
            lb.signal(signal);
            RawHttp.Response r = inFlight.get();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.complete()).isTrue();
            // Generous for a loaded CI machine; on failure, the output and where each thread was.
            assertThat(lb.awaitExit(Duration.ofSeconds(30))).as(lb::diagnostics).isZero();
            assertThat(lb.output()).anyMatch(line -> line.contains("stopped"));
        }
    }

    /**
     * A script's background job starts with SIGINT and SIGQUIT ignored, and a shell cannot trap a
     * signal ignored on entry: the launcher must still stop on them, as the Go fnlb did.
     */
    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"INT", "QUIT"})
    void stopSignalsIgnoredWhereTheLauncherWasStartedStillStopIt(String signal) throws Exception {
        try (FakeFnNode node = FakeFnNode.launch();
                FnlbProcess lb = FnlbProcess.startWithLauncherAsBackgroundJob("-listen", "127.0.0.1:0",
                        "-nodes", node.address().toString(), "-hc-interval", "200ms")) {
            lb.signal(signal);
            assertThat(lb.awaitExit(Duration.ofSeconds(30))).as(lb::diagnostics).isZero();
            assertThat(lb.output()).anyMatch(line -> line.contains("stopped"));
        }
    }

    @Test
    void shutdownTimeoutCutsRequestsThatRunLongerAndStillExitsZero() throws Exception {
        try (FakeFnNode node = FakeFnNode.launch();
                FnlbProcess lb = FnlbProcess.startListening(List.of(), "-listen", "127.0.0.1:0",
                        "-nodes", node.address().toString(), "-hc-interval", "200ms", "-shutdown-timeout", "1")) {
            node.delay(Duration.ofSeconds(30));
            long before = node.requestCount();
            RawHttp c = RawHttp.connect(lb.traffic());
            c.send(RawHttp.get("/r/app/forever"));
            await().atMost(Duration.ofSeconds(10)).until(() -> node.requestCount() > before);
            long start = System.nanoTime();
            lb.signal("TERM");
            assertThat(lb.awaitExit(Duration.ofSeconds(15))).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(c.closedByPeer()).isTrue();
            c.close();
        }
    }

    @Test
    void firstRequestAfterStartAlreadyFindsTheHealthyNode() throws Exception {
        try (FakeFnNode node = FakeFnNode.launch();
                FnlbProcess lb = FnlbProcess.startListening(List.of(), "-listen", "127.0.0.1:0",
                        "-nodes", node.address().toString());
                RawHttp c = RawHttp.connect(lb.traffic())) {
            // The default interval is 3 s; the first round runs before the port opens.
            assertThat(c.send(RawHttp.get("/r/app/first")).read().status()).isEqualTo(200);
        }
    }

    @Test
    void badFlagStopsWithOneLineAndExitCode2() throws Exception {
        try (FnlbProcess lb = FnlbProcess.start(List.of(), "-hc-interval", "soon")) {
            assertThat(lb.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
            assertThat(lb.output()).containsExactly(
                    "fnlb: invalid value \"soon\" for flag -hc-interval: not a whole number of seconds or a duration like 500ms");
        }
    }

    @Test
    void unreachableDatabaseStopsWithAMaskedUrlAndExitCode1() throws Exception {
        try (FnlbProcess lb = FnlbProcess.start(List.of(), "-db", "postgres://fnlb:hunter2@127.0.0.1:1/fnlb?sslmode=disable")) {
            assertThat(lb.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(lb.output()).noneMatch(line -> line.contains("hunter2"));
            assertThat(lb.output()).noneMatch(line -> line.startsWith("\tat "));
            assertThat(lb.output()).anyMatch(line -> line.startsWith("fnlb: could not connect to postgres://fnlb:****@127.0.0.1:1/fnlb"));
        }
    }
}
