package io.fnlb.health;

import static io.fnlb.health.NodeHealth.Change.DOWN;
import static io.fnlb.health.NodeHealth.Change.NONE;
import static io.fnlb.health.NodeHealth.Change.UP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NodeHealthStateMachineTest {

    @Test
    void uncheckedNodeIsNotHealthy() {
        NodeHealth health = new NodeHealth(2, 1);

        assertThat(health.checked()).isFalse();
        assertThat(health.healthy()).isFalse();
    }

    @Test
    void firstPassDecidesAtOnceDespiteHealthyThreshold() {
        NodeHealth health = new NodeHealth(3, 3);

        assertThat(health.record(true)).isEqualTo(UP);
        assertThat(health.healthy()).isTrue();
        assertThat(health.checked()).isTrue();
    }

    @Test
    void firstFailureDecidesAtOnceDespiteUnhealthyThreshold() {
        NodeHealth health = new NodeHealth(3, 3);

        assertThat(health.record(false)).isEqualTo(DOWN);
        assertThat(health.healthy()).isFalse();
        assertThat(health.checked()).isTrue();
    }

    @Test
    void healthyNodeGoesOutAfterUnhealthyThresholdConsecutiveFailures() {
        NodeHealth health = new NodeHealth(3, 1);
        health.record(true);

        assertThat(health.record(false)).isEqualTo(NONE);
        assertThat(health.record(false)).isEqualTo(NONE);
        assertThat(health.healthy()).isTrue();
        assertThat(health.record(false)).isEqualTo(DOWN);
        assertThat(health.healthy()).isFalse();
        assertThat(health.record(false)).isEqualTo(NONE);
    }

    @Test
    void unhealthyNodeComesBackAfterHealthyThresholdConsecutivePasses() {
        NodeHealth health = new NodeHealth(1, 2);
        health.record(false);

        assertThat(health.record(true)).isEqualTo(NONE);
        assertThat(health.healthy()).isFalse();
        assertThat(health.record(true)).isEqualTo(UP);
        assertThat(health.healthy()).isTrue();
        assertThat(health.record(true)).isEqualTo(NONE);
    }

    @Test
    void thresholdOfOneFlipsOnEveryDifferentResult() {
        NodeHealth health = new NodeHealth(1, 1);

        assertThat(health.record(true)).isEqualTo(UP);
        assertThat(health.record(false)).isEqualTo(DOWN);
        assertThat(health.record(true)).isEqualTo(UP);
    }

    @Test
    void flappingHealthyNodeStaysInBecauseAPassResetsTheFailureStreak() {
        NodeHealth health = new NodeHealth(2, 1);
        health.record(true);

        for (int i = 0; i < 10; i++) {
            assertThat(health.record(false)).isEqualTo(NONE);
            assertThat(health.record(true)).isEqualTo(NONE);
        }
        assertThat(health.healthy()).isTrue();
        assertThat(health.record(false)).isEqualTo(NONE);
        assertThat(health.record(false)).isEqualTo(DOWN);
    }

    @Test
    void flappingUnhealthyNodeStaysOutBecauseAFailureResetsThePassStreak() {
        NodeHealth health = new NodeHealth(1, 2);
        health.record(false);

        for (int i = 0; i < 10; i++) {
            assertThat(health.record(true)).isEqualTo(NONE);
            assertThat(health.record(false)).isEqualTo(NONE);
        }
        assertThat(health.healthy()).isFalse();
        assertThat(health.record(true)).isEqualTo(NONE);
        assertThat(health.record(true)).isEqualTo(UP);
    }

    @Test
    void streakStartsAfreshAfterEachChange() {
        NodeHealth health = new NodeHealth(2, 2);
        health.record(true);
        health.record(false);
        assertThat(health.record(false)).isEqualTo(DOWN);

        // The two failures that took it out must not count towards anything now.
        assertThat(health.record(true)).isEqualTo(NONE);
        assertThat(health.record(true)).isEqualTo(UP);
        assertThat(health.record(false)).isEqualTo(NONE);
        assertThat(health.healthy()).isTrue();
    }

    @Test
    void thresholdBelowOneIsRejected() {
        assertThatThrownBy(() -> new NodeHealth(0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("health-check thresholds must be at least 1");
        assertThatThrownBy(() -> new NodeHealth(1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("health-check thresholds must be at least 1");
    }
}
