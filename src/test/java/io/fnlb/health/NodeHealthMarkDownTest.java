package io.fnlb.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A request's report takes a healthy node out at once; only the healthy threshold of passes brings it back. */
class NodeHealthMarkDownTest {

    @Test
    void healthyNodeGoesDownAtOnceAndNeedsTheHealthyThresholdToReturn() {
        NodeHealth health = new NodeHealth(3, 2);
        health.record(true);
        assertThat(health.markDown()).isEqualTo(NodeHealth.Change.DOWN);
        assertThat(health.healthy()).isFalse();
        assertThat(health.record(true)).isEqualTo(NodeHealth.Change.NONE);
        assertThat(health.record(true)).isEqualTo(NodeHealth.Change.UP);
    }

    @Test
    void aFailureBetweenPassesRestartsTheCount() {
        NodeHealth health = new NodeHealth(3, 2);
        health.record(true);
        health.markDown();
        health.record(true);
        health.record(false);
        assertThat(health.record(true)).isEqualTo(NodeHealth.Change.NONE);
        assertThat(health.record(true)).isEqualTo(NodeHealth.Change.UP);
    }

    @Test
    void uncheckedNodeIsLeftToItsFirstCheck() {
        NodeHealth unchecked = new NodeHealth(2, 1);
        assertThat(unchecked.markDown()).isEqualTo(NodeHealth.Change.NONE);
        assertThat(unchecked.checked()).isFalse();
        assertThat(unchecked.record(true)).isEqualTo(NodeHealth.Change.UP);
    }

    @Test
    void unhealthyNodeOnItsWayBackStartsCountingPassesAgain() {
        NodeHealth down = new NodeHealth(2, 2);
        down.record(false);
        down.record(true);
        assertThat(down.markDown()).isEqualTo(NodeHealth.Change.NONE);
        assertThat(down.healthy()).isFalse();
        assertThat(down.record(true)).isEqualTo(NodeHealth.Change.NONE);
        assertThat(down.record(true)).isEqualTo(NodeHealth.Change.UP);
    }
}
