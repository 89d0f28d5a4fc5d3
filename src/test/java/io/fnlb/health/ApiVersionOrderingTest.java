package io.fnlb.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiVersionOrderingTest {

    @Test
    void releasesOrderByMajorMinorPatchNumerically() {
        assertOrdered("0.3.0", "0.3.1", "0.3.9", "0.3.10", "0.4.0", "0.10.0", "1.0.0", "2.0.0", "10.0.0");
    }

    @Test
    void preReleasesOrderAsTheSemverSpecificationLists() {
        assertOrdered("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0");
    }

    @Test
    void preReleaseRanksBelowItsReleaseButAboveThePreviousRelease() {
        assertThat(ApiVersion.parse("0.3.0-rc1").isOlderThan(ApiVersion.parse("0.3.0"))).isTrue();
        assertThat(ApiVersion.parse("0.3.0-rc1").isOlderThan(ApiVersion.parse("0.2.99"))).isFalse();
    }

    @Test
    void buildMetadataIsIgnored() {
        assertThat(ApiVersion.parse("0.3.1+build.7")).isEqualTo(ApiVersion.parse("0.3.1"));
        assertThat(ApiVersion.parse("0.3.1+build.7").compareTo(ApiVersion.parse("0.3.1+other"))).isZero();
        assertThat(ApiVersion.parse("0.3.1+build.7")).hasSameHashCodeAs(ApiVersion.parse("0.3.1"));
    }

    @Test
    void equalVersionIsNotOlder() {
        assertThat(ApiVersion.parse("0.3.0").isOlderThan(ApiVersion.parse("0.3.0"))).isFalse();
    }

    @Test
    void textIsKeptAsWrittenAroundSurroundingSpace() {
        assertThat(ApiVersion.parse(" 0.3.1-rc.1+b5 ")).hasToString("0.3.1-rc.1+b5");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "abc      | 'abc' is not a semantic version x.y.z",
            "1.2      | '1.2' is not a semantic version x.y.z",
            "1.2.3.4  | '1.2.3.4' is not a semantic version x.y.z",
            "v1.2.3   | 'v1.2.3' is not a semantic version x.y.z",
            "01.2.3   | '01.2.3' is not a semantic version x.y.z",
            "1.2.3-   | '1.2.3-' is not a semantic version x.y.z",
            "1.2.x    | '1.2.x' is not a semantic version x.y.z",
    })
    void malformedVersionIsRejectedWithOneSentence(String text, String message) {
        assertThatThrownBy(() -> ApiVersion.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void emptyVersionIsRejected() {
        assertThatThrownBy(() -> ApiVersion.parse(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'' is not a semantic version x.y.z");
    }

    @Test
    void hugeNumberIsRejectedRatherThanOverflowing() {
        assertThatThrownBy(() -> ApiVersion.parse("99999999999999999999.0.0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'99999999999999999999.0.0' has a version number too large to compare");
    }

    @Test
    void settingsRejectAMalformedMinimumVersion() {
        assertThatThrownBy(() -> new HealthSettings(
                        Duration.ofSeconds(3), "/version", 2, 1, Duration.ofSeconds(5), Optional.of("0.3")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minimum API version '0.3' is not a semantic version x.y.z");
    }

    private static void assertOrdered(String... versions) {
        List<ApiVersion> parsed = java.util.Arrays.stream(versions).map(ApiVersion::parse).toList();
        for (int i = 0; i < parsed.size(); i++) {
            for (int j = 0; j < parsed.size(); j++) {
                assertThat(Integer.signum(parsed.get(i).compareTo(parsed.get(j))))
                        .as("%s vs %s", versions[i], versions[j])
                        .isEqualTo(Integer.compare(i, j));
            }
        }
    }
}
