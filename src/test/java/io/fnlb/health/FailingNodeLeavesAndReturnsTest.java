package io.fnlb.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fnlb.testing.FakeFnNode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §6: thresholds of consecutive results, with a real node changing its answers. */
class FailingNodeLeavesAndReturnsTest {

    private final HealthRig rig = new HealthRig();

    @AfterEach
    void tearDown() throws Exception {
        rig.close();
    }

    @Test
    void healthyNodeLeavesAfterThreeFailuresAndReturnsAfterTwoPasses() throws Exception {
        FakeFnNode steady = rig.node();
        FakeFnNode node = rig.node();
        HealthChecker checker = rig.checker(HealthRig.settings(Duration.ofMillis(150), 3, 2, Duration.ofSeconds(1)));
        checker.start().get(5, TimeUnit.SECONDS);
        assertThat(rig.published()).contains(node.address());

        // Counted before the switch: every check counted after it that took the node out failed.
        long before = node.requestCount("/version");
        node.healthStatus(500);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> !rig.published().contains(node.address()));

        assertThat(node.requestCount("/version") - before).isGreaterThanOrEqualTo(3);
        assertThat(checker.states()).containsEntry(node.address(), false);
        assertThat(checker.lastFailure(node.address())).contains("GET /version answered 500");
        assertThat(rig.published()).containsExactly(steady.address());

        before = node.requestCount("/version");
        node.healthStatus(200);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> rig.published().contains(node.address()));

        assertThat(node.requestCount("/version") - before).isGreaterThanOrEqualTo(2);
        assertThat(checker.states()).containsEntry(node.address(), true);
        assertThat(checker.lastFailure(node.address())).isEmpty();
    }

    @Test
    void stoppedNodeIsRefusedThenRestartedNodeComesBackOnTheSamePort() throws Exception {
        FakeFnNode node = rig.node();
        HealthChecker checker = rig.checker(HealthRig.settings(Duration.ofMillis(100), 1, 1, Duration.ofSeconds(1)));
        checker.start().get(5, TimeUnit.SECONDS);
        assertThat(rig.published()).containsExactly(node.address());

        node.stop();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> checker.lastFailure(node.address()).filter("connection refused"::equals).isPresent());
        assertThat(rig.published()).isEmpty();

        node.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> rig.published().contains(node.address()));
        assertThat(checker.states()).containsEntry(node.address(), true);
    }
}
