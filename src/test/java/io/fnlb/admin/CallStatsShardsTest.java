package io.fnlb.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.nodes.NodeAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Each recording thread counts into a shard of its own; the cap and the snapshot span them all. */
class CallStatsShardsTest {

    private static final NodeAddress A = NodeAddress.parse("192.0.2.1:8080");
    private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");

    private final ManualClock clock = new ManualClock(T0.plusMillis(500));

    private static void onThread(Runnable work) throws InterruptedException {
        Thread thread = new Thread(work);
        thread.start();
        thread.join();
    }

    @Test
    void aFunctionAdmittedOnOneThreadKeepsItsSeriesOnAnotherOnceTheCapIsFull() throws Exception {
        CallStats stats = new CallStats(clock, 1);
        onThread(() -> stats.record(A, "/r/app/first", 1_000L));
        onThread(() -> {
            stats.record(A, "/r/app/first", 3_000L);
            stats.record(A, "/r/app/second", 0L);
        });

        assertThat(stats.snapshot().seconds()).containsExactly(
                new SecondStats(T0, A, CallStats.OTHER_FUNC, 1, Duration.ZERO),
                new SecondStats(T0, A, "/r/app/first", 2, Duration.ofNanos(2_000L)));
    }

    @Test
    void theCountsOfAThreadThatEndedStayForTheMinuteThenItsShardIsDropped() throws Exception {
        CallStats stats = new CallStats(clock);
        onThread(() -> stats.record(A, "/r/app/fn", 0L));
        assertThat(stats.shardCount()).isEqualTo(1);

        clock.set(T0.plusSeconds(59));
        assertThat(stats.snapshot().seconds()).extracting(SecondStats::calls).containsExactly(1L);
        assertThat(stats.shardCount()).as("its second is still shown").isEqualTo(1);

        clock.set(T0.plusSeconds(60));
        assertThat(stats.snapshot().seconds()).isEmpty();
        assertThat(stats.shardCount()).as("nothing of it is shown any more, and its thread is gone").isZero();
    }

    @Test
    void aLiveThreadsShardIsKeptWhenItsSecondsExpire() {
        CallStats stats = new CallStats(clock);
        stats.record(A, "/r/app/fn", 0L);
        clock.set(T0.plusSeconds(120));
        assertThat(stats.snapshot().seconds()).isEmpty();
        assertThat(stats.shardCount()).isEqualTo(1);

        stats.record(A, "/r/app/fn", 0L);
        assertThat(stats.snapshot().seconds()).extracting(SecondStats::start).containsExactly(T0.plusSeconds(120));
    }
}
