package io.fnlb.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fnlb.nodes.NodeAddress;
import io.fnlb.nodes.NodeSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Load spill-over of SPEC §3.5 with a controlled random source. */
class SpillOverTest {

    private static final long MS = 1_000_000L;
    private final NodeSet nodes = NodeSet.of(List.of(NodeAddress.parse("a:1"), NodeAddress.parse("b:1"), NodeAddress.parse("c:1")));
    private final AtomicLong now = new AtomicLong();
    private final WaitTracker waits = new WaitTracker(1000, 60_000 * MS, now::get);
    private final String key = "/r/app/hot";
    private final int home = JumpHashRouter.home(key, 3);

    private NodeAddress node(int offset) {
        return nodes.get((home + offset) % 3);
    }

    @Test
    void idleHomeNodeIsTaken() {
        waits.record(key, node(0), 499 * MS);
        assertThat(new NodePicker(waits, () -> 0.999).pick(nodes, key)).isEqualTo(home);
    }

    @Test
    void loadedHomeNodeSpillsToTheNextNodeOfTheRing() {
        waits.record(key, node(0), 3000 * MS);
        assertThat(new NodePicker(waits, () -> 0.5).pick(nodes, key)).isEqualTo((home + 1) % 3);
    }

    @Test
    void everyNodeLoadedFallsBackToHomeAfterOneTurn() {
        for (int i = 0; i < 3; i++) {
            waits.record(key, node(i), 5000 * MS);
        }
        assertThat(new NodePicker(waits, () -> 0.99).pick(nodes, key)).isEqualTo(home);
    }

    @Test
    void loadedNodeIsStillTakenWithTenPercent() {
        waits.record(key, node(0), 5000 * MS);
        assertThat(new NodePicker(waits, () -> 0.05).pick(nodes, key)).isEqualTo(home);
    }

    @Test
    void probabilityFallsLinearlyFromFortyToTenPercent() {
        assertThat(NodePicker.acceptProbability(500 * MS)).isCloseTo(0.40, within(1e-9));
        assertThat(NodePicker.acceptProbability(1250 * MS)).isCloseTo(0.25, within(1e-9));
        assertThat(NodePicker.acceptProbability(2000 * MS)).isCloseTo(0.10, within(1e-9));
        assertThat(NodePicker.acceptProbability(60_000 * MS)).isCloseTo(0.10, within(1e-9));
    }

    @Test
    void averageIsAnEwmaWithWeightOneTenthAndFirstSampleAsIs() {
        waits.record(key, node(0), 1000 * MS);
        assertThat(waits.lookup(key).averageNanos(node(0))).isEqualTo(1000 * MS);
        waits.record(key, node(0), 0);
        assertThat(waits.lookup(key).averageNanos(node(0))).isEqualTo(900 * MS);
        assertThat(waits.lookup(key).averageNanos(node(1))).isZero();
    }

    @Test
    void trackerIsBoundedAndForgetsOldKeys() {
        WaitTracker small = new WaitTracker(100, 10_000 * MS, now::get);
        for (int i = 0; i < 10_000; i++) {
            small.record("/r/flood/" + i, node(0), MS);
        }
        assertThat(small.size()).isEqualTo(100);
        now.addAndGet(10_001 * MS);
        small.record("/r/flood/0", node(0), MS);
        small.sweep();
        assertThat(small.size()).isEqualTo(1);
        assertThat(small.lookup("/r/flood/0")).isNotNull();
    }
}
