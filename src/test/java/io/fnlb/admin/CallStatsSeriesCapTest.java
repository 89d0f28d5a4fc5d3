package io.fnlb.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.nodes.NodeAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A flood of distinct paths is folded into "(other)" once a second holds the cap of series. */
class CallStatsSeriesCapTest {

    private static final NodeAddress A = NodeAddress.parse("192.0.2.1:8080");
    private static final NodeAddress B = NodeAddress.parse("192.0.2.2:8080");
    private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");

    private final ManualClock clock = new ManualClock(T0);
    private final CallStats stats = new CallStats(clock, 3);

    @Test
    void callsBeyondTheCapAreCountedUnderOtherForTheirNode() {
        stats.record(A, "/r/app/1", 1_000L);
        stats.record(A, "/r/app/2", 1_000L);
        stats.record(B, "/r/app/1", 1_000L);
        stats.record(A, "/r/app/3", 2_000L);
        stats.record(A, "/r/app/4", 4_000L);
        stats.record(B, "/r/app/5", 9_000L);
        stats.record(A, "/r/app/1", 3_000L);

        assertThat(stats.snapshot().seconds()).containsExactly(
                new SecondStats(T0, A, "(other)", 2, Duration.ofNanos(3_000)),
                new SecondStats(T0, A, "/r/app/1", 2, Duration.ofNanos(2_000)),
                new SecondStats(T0, A, "/r/app/2", 1, Duration.ofNanos(1_000)),
                new SecondStats(T0, B, "(other)", 1, Duration.ofNanos(9_000)),
                new SecondStats(T0, B, "/r/app/1", 1, Duration.ofNanos(1_000)));
    }

    @Test
    void floodOfDistinctPathsKeepsExactlyTheCapPlusOtherAndLosesNoCall() {
        CallStats capped = new CallStats(clock, CallStats.DEFAULT_MAX_SERIES_PER_SECOND);
        for (int i = 0; i < 100_000; i++) {
            capped.record(A, "/r/flood/" + i, 0);
        }

        var seconds = capped.snapshot().seconds();

        assertThat(seconds).hasSize(CallStats.DEFAULT_MAX_SERIES_PER_SECOND + 1);
        assertThat(seconds).filteredOn(s -> s.func().equals(CallStats.OTHER_FUNC)).singleElement()
                .extracting(SecondStats::calls).isEqualTo(100_000L - CallStats.DEFAULT_MAX_SERIES_PER_SECOND);
        assertThat(seconds.stream().mapToLong(SecondStats::calls).sum()).isEqualTo(100_000L);
    }

    @Test
    void theCapStartsAfreshEachSecond() {
        for (int i = 1; i <= 5; i++) {
            stats.record(A, "/r/app/" + i, 0);
        }
        clock.advanceMillis(1_000);
        stats.record(A, "/r/app/4", 0);
        stats.record(A, "/r/app/5", 0);

        assertThat(stats.snapshot().seconds()).filteredOn(s -> s.start().equals(T0.plusSeconds(1)))
                .extracting(SecondStats::func).containsExactly("/r/app/4", "/r/app/5");
    }
}
