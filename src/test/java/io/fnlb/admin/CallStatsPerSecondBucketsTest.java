package io.fnlb.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.fnlb.nodes.NodeAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Calls are counted per one-second bucket and (node, function), with the mean reported wait. */
class CallStatsPerSecondBucketsTest {

    private static final NodeAddress LOWER = NodeAddress.parse("a.example:8080");
    private static final NodeAddress UPPER = NodeAddress.parse("B.example:8080");
    private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");

    private final ManualClock clock = new ManualClock(T0.plusMillis(999));
    private final CallStats stats = new CallStats(clock);

    @Test
    void callsInTheSameSecondShareOneBucketWhateverTheMillisecond() {
        stats.record(LOWER, "/r/app/fn", 100_000_000L);
        clock.set(T0);
        stats.record(LOWER, "/r/app/fn", 300_000_000L);
        clock.set(T0.plusMillis(1_000));
        stats.record(LOWER, "/r/app/fn", 7L);

        assertThat(stats.snapshot().seconds()).containsExactly(
                new SecondStats(T0, LOWER, "/r/app/fn", 2, Duration.ofMillis(200)),
                new SecondStats(T0.plusSeconds(1), LOWER, "/r/app/fn", 1, Duration.ofNanos(7)));
    }

    @Test
    void entriesAreOrderedBySecondThenNodeByteWiseThenFunction() {
        clock.set(T0.plusSeconds(1));
        stats.record(LOWER, "/r/app/b", 0);
        stats.record(LOWER, "/r/app/a", 0);
        stats.record(UPPER, "/r/app/z", 0);
        clock.set(T0);
        stats.record(LOWER, "/r/app/c", 0);
        clock.set(T0.plusSeconds(1));

        assertThat(stats.snapshot().seconds()).extracting(s -> s.start().getEpochSecond() - T0.getEpochSecond() + " " + s.node() + " " + s.func())
                .containsExactly("0 a.example:8080 /r/app/c", "1 B.example:8080 /r/app/z",
                        "1 a.example:8080 /r/app/a", "1 a.example:8080 /r/app/b");
    }

    @Test
    void negativeWaitCountsAsNoWait() {
        stats.record(LOWER, "/r/app/fn", -5L);
        stats.record(LOWER, "/r/app/fn", 10L);

        assertThat(stats.snapshot().seconds()).containsExactly(new SecondStats(T0, LOWER, "/r/app/fn", 2, Duration.ofNanos(5)));
    }

    @Test
    void longFunctionPathsAreCutWithoutSplittingACharacter() {
        String longPath = "/r/app/" + "x".repeat(1_000);
        String emoji = "/r/app/" + "y".repeat(CallStats.MAX_FUNC_LENGTH - 8) + "\uD83D\uDE00" + "tail";

        stats.record(LOWER, longPath, 0);
        stats.record(LOWER, longPath, 0);
        stats.record(UPPER, emoji, 0);

        assertThat(stats.snapshot().seconds()).extracting(SecondStats::func, SecondStats::calls).containsExactly(
                tuple(emoji.substring(0, CallStats.MAX_FUNC_LENGTH - 1), 1L),
                tuple(longPath.substring(0, CallStats.MAX_FUNC_LENGTH), 2L));
    }

    @Test
    void snapshotCarriesItsTimeAndCannotBeChanged() {
        stats.record(LOWER, "/r/app/fn", 0);

        StatsSnapshot snapshot = stats.snapshot();

        assertThat(snapshot.takenAt()).isEqualTo(T0.plusMillis(999));
        assertThatThrownBy(() -> snapshot.seconds().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void capBelowOneIsRefused() {
        assertThatThrownBy(() -> new CallStats(clock, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxSeriesPerSecond must be at least 1, got 0");
    }
}
