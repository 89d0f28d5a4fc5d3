package io.fnlb.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.nodes.NodeAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Only the last sixty seconds are kept, without any thread sweeping them. */
class CallStatsExpiryTest {

    private static final NodeAddress A = NodeAddress.parse("192.0.2.1:8080");
    private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");

    private final ManualClock clock = new ManualClock(T0.plusMillis(500));
    private final CallStats stats = new CallStats(clock);

    @Test
    void aSecondIsShownForSixtySecondsThenForgotten() {
        stats.record(A, "/r/app/fn", 0);

        clock.set(T0.plusSeconds(59).plusMillis(999));
        assertThat(stats.snapshot().seconds()).extracting(SecondStats::start).containsExactly(T0);

        clock.set(T0.plusSeconds(60));
        assertThat(stats.snapshot().seconds()).isEmpty();
    }

    @Test
    void aMinuteOfTrafficKeepsExactlySixtyBuckets() {
        for (int second = 0; second < 150; second++) {
            clock.set(T0.plusSeconds(second));
            stats.record(A, "/r/app/fn", 0);
            stats.record(A, "/r/app/fn", 0);
        }

        var seconds = stats.snapshot().seconds();

        assertThat(seconds).hasSize(CallStats.SECONDS_KEPT);
        assertThat(seconds.getFirst().start()).isEqualTo(T0.plusSeconds(90));
        assertThat(seconds.getLast().start()).isEqualTo(T0.plusSeconds(149));
        assertThat(seconds).allSatisfy(s -> assertThat(s.calls()).isEqualTo(2));
    }

    @Test
    void aReusedSlotStartsFromZero() {
        stats.record(A, "/r/app/fn", 5_000L);
        clock.set(T0.plusSeconds(60));
        stats.record(A, "/r/app/fn", 1_000L);

        assertThat(stats.snapshot().seconds()).containsExactly(
                new SecondStats(T0.plusSeconds(60), A, "/r/app/fn", 1, Duration.ofNanos(1_000)));
    }

    @Test
    void aCallStampedBeforeTheSecondItsSlotNowHoldsIsDropped() {
        clock.set(T0.plusSeconds(60));
        stats.record(A, "/r/app/fn", 0);
        clock.set(T0);
        stats.record(A, "/r/app/late", 0);
        clock.set(T0.plusSeconds(60));

        assertThat(stats.snapshot().seconds()).extracting(SecondStats::func).containsExactly("/r/app/fn");
    }
}
