package io.fnlb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Go duration strings parse to the nanoseconds Go's time.ParseDuration gives, and nothing else parses. */
class GoDurationParsingTest {

    /** Expected values are what Go 1.22's time.ParseDuration returns. */
    static Stream<Arguments> goldenValues() {
        return Stream.of(
                Arguments.of("0", 0L),
                Arguments.of("+0", 0L),
                Arguments.of("-0", 0L),
                Arguments.of("0s", 0L),
                Arguments.of("5s", 5_000_000_000L),
                Arguments.of("+5s", 5_000_000_000L),
                Arguments.of("30s", 30_000_000_000L),
                Arguments.of("1478s", 1_478_000_000_000L),
                Arguments.of("1ns", 1L),
                Arguments.of("1.1ns", 1L),
                Arguments.of("2us", 2_000L),
                Arguments.of("3\u00B5s", 3_000L),
                Arguments.of("4\u03BCs", 4_000L),
                Arguments.of("500ms", 500_000_000L),
                Arguments.of("1.5s", 1_500_000_000L),
                Arguments.of("1.s", 1_000_000_000L),
                Arguments.of(".5s", 500_000_000L),
                Arguments.of("2m", 120_000_000_000L),
                Arguments.of("1h", 3_600_000_000_000L),
                Arguments.of("1m2.5s", 62_500_000_000L),
                Arguments.of("3h30m", 12_600_000_000_000L),
                Arguments.of("10.5s4m", 250_500_000_000L),
                Arguments.of("1h1m1s1ms1us1ns", 3_661_001_001_001L),
                Arguments.of("1.004\u00B5s", 1_004L),
                Arguments.of("100.00100s", 100_001_000_000L),
                Arguments.of("0.3333333333333333333h", 1_200_000_000_000L),
                Arguments.of("0.100000000000000000000h", 360_000_000_000L),
                Arguments.of("9007199254.740993ms", 9_007_199_254_740_993L),
                Arguments.of("9223372036854775807ns", Long.MAX_VALUE),
                Arguments.of("9223372036854775.807us", Long.MAX_VALUE),
                Arguments.of("9223372036s854ms775us807ns", Long.MAX_VALUE),
                Arguments.of("0.830103483285477580700h", 2_988_372_539_827L),
                Arguments.of("0.000000001s", 1L),
                Arguments.of("0.0000000001s", 0L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenValues")
    void parsesLikeGo(String text, long nanos) {
        assertThat(GoDuration.parseNanos(text)).isEqualTo(nanos);
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {
        "", "+", "-", "s", "1", "12", ".", ".s", "+.s", "1.5", "3000000h", "9223372036854775808ns",
        "9223372036854775807ns1ns", "10000000000000000000s", "1x", "1sec", "1 s", " 1s", "1s ", "1S", "1.5.5s",
        "1s-1s", "s1", "-1s", "-1.5ms", "1d", "1w", "\u00B5s", "1\u00C2s", "1mss", "0x10s",
    })
    void rejectsMalformed(String text) {
        assertThat(GoDuration.parseNanos(text)).isEqualTo(-1);
        assertThatThrownBy(() -> GoDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not a Go duration like 500ms, 1.5s or 1m2s");
    }

    @Test
    void nullIsMalformedForTheAllocationFreeParser() {
        assertThat(GoDuration.parseNanos(null)).isEqualTo(-1);
    }

    /** Netty hands header values over as ISO-8859-1 chars, so Go's UTF-8 'µs' arrives as two chars. */
    @Test
    void acceptsMicrosecondsDecodedAsLatin1FromAHeader() {
        assertThat(GoDuration.parseNanos("1.5\u00C2\u00B5s")).isEqualTo(1_500L);
        assertThat(GoDuration.parseNanos("7\u00CE\u00BCs")).isEqualTo(7_000L);
    }

    @Test
    void readsAnyCharSequenceWithoutCopying() {
        StringBuilder header = new StringBuilder("1m2.5s");
        assertThat(GoDuration.parseNanos(header)).isEqualTo(62_500_000_000L);
        assertThat(GoDuration.parseNanos(new StringBuilder("2ms").subSequence(0, 3))).isEqualTo(2_000_000L);
    }
}
