package io.fnlb.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fnlb.testing.FakeFnNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §6: checks run concurrently; a node that never answers holds up nobody. */
class HungNodeDoesNotDelayOthersTest {

    // Far longer than the test: the hung node's first check is still in flight throughout.
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HealthRig rig = new HealthRig();

    @AfterEach
    void tearDown() throws Exception {
        rig.close();
    }

    @Test
    void otherNodesAreCheckedEveryRoundWhileOneHangs() {
        FakeFnNode hung = rig.node().hangHealth(true);
        FakeFnNode steady = rig.node();
        HealthChecker checker = rig.checker(HealthRig.settings(Duration.ofMillis(100), 1, 1, TIMEOUT));

        checker.start();

        await().atMost(Duration.ofSeconds(3)).until(() -> rig.published().contains(steady.address()));
        long before = steady.requestCount("/version");
        await().atMost(Duration.ofSeconds(3)).until(() -> steady.requestCount("/version") >= before + 5);

        // Later rounds skipped the hung node instead of piling checks onto it.
        assertThat(hung.requestCount("/version")).isEqualTo(1);
        assertThat(checker.states()).containsEntry(hung.address(), false);
        assertThat(checker.lastFailure(hung.address())).isEmpty();
    }

    @Test
    void nodeThatStartsHangingLaterStillLeavesWhenItsCheckTimesOut() throws Exception {
        FakeFnNode steady = rig.node();
        FakeFnNode node = rig.node();
        HealthChecker checker = rig.checker(HealthRig.settings(Duration.ofMillis(100), 1, 1, Duration.ofMillis(400)));
        checker.start().get(5, java.util.concurrent.TimeUnit.SECONDS);

        node.hangHealth(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> !rig.published().contains(node.address()));

        assertThat(checker.lastFailure(node.address())).contains("no answer within 400 ms");
        assertThat(rig.published()).containsExactly(steady.address());
    }

    @Test
    void closeDoesNotWaitForTheHungCheck() {
        FakeFnNode hung = rig.node().hangHealth(true);
        HealthChecker checker = rig.checker(HealthRig.settings(Duration.ofMillis(100), 1, 1, TIMEOUT));
        checker.start();
        await().atMost(Duration.ofSeconds(3)).until(() -> hung.requestCount("/version") == 1);

        long started = System.nanoTime();
        checker.close();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        // A listing that had already begun when close() ran may still finish; no new round starts
        // (rounds come every 100 ms, so five would have started in this window).
        long listings = rig.store.listings();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                .until(() -> rig.store.listings() <= listings + 1);
    }
}
