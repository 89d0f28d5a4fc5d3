package io.fnlb.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.nodes.NodeAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several event-loop threads record at once: no call is lost or counted twice. */
class CallStatsConcurrentRecordingTest {

    private static final int THREADS = 4;
    private static final int CALLS_PER_THREAD = 50_000;
    private static final List<NodeAddress> NODES = List.of(NodeAddress.parse("192.0.2.1:8080"), NodeAddress.parse("192.0.2.2:8080"));

    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    private final ManualClock clock = new ManualClock(Instant.parse("2024-03-01T10:00:00Z"));

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void countsAndWaitsAreExactUnderContention() throws Exception {
        CallStats stats = new CallStats(clock);
        String[] funcs = new String[10];
        for (int f = 0; f < funcs.length; f++) {
            funcs[f] = "/r/app/f" + f;
        }

        runConcurrently(thread -> {
            for (int i = 0; i < CALLS_PER_THREAD; i++) {
                stats.record(NODES.get(i % 2), funcs[i % funcs.length], 1_000L);
            }
        });

        var seconds = stats.snapshot().seconds();
        assertThat(seconds).hasSize(NODES.size() * 5); // i % 2 and i % 10 pair each node with 5 functions
        long perSeries = (long) THREADS * CALLS_PER_THREAD / seconds.size();
        assertThat(seconds).allSatisfy(s -> {
            assertThat(s.calls()).isEqualTo(perSeries);
            assertThat(s.meanWait().toNanos()).isEqualTo(1_000L);
        });
    }

    @Test
    void capHoldsExactlyWhenThreadsRaceToCreateSeries() throws Exception {
        int cap = 100;
        CallStats stats = new CallStats(clock, cap);
        NodeAddress node = NODES.getFirst();

        // Every thread walks the same 500 paths, so creations of one path race each other too.
        runConcurrently(thread -> {
            for (int i = 0; i < CALLS_PER_THREAD; i++) {
                stats.record(node, "/r/flood/" + ((i + thread * 7) % 500), 0);
            }
        });

        Map<Boolean, List<SecondStats>> byOther = stats.snapshot().seconds().stream()
                .collect(Collectors.partitioningBy(s -> s.func().equals(CallStats.OTHER_FUNC)));
        assertThat(byOther.get(false)).hasSize(cap);
        assertThat(byOther.get(true)).hasSize(1);
        long total = stats.snapshot().seconds().stream().mapToLong(SecondStats::calls).sum();
        assertThat(total).isEqualTo((long) THREADS * CALLS_PER_THREAD);
    }

    private interface Work {
        void run(int thread);
    }

    private void runConcurrently(Work work) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            done.add(CompletableFuture.runAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                work.run(thread);
            }, threads));
        }
        start.countDown();
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }
}
