package io.fnlb.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.fnlb.testing.FakeFnNode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §6: while the store cannot be read, the last known nodes are still checked. */
class StoreOutageKeepsLastListTest {

    private final HealthRig rig = new HealthRig();
    private final LogCapture logs = new LogCapture(HealthChecker.class);

    @AfterEach
    void tearDown() throws Exception {
        logs.close();
        rig.close();
    }

    @Test
    void nodesKeepBeingCheckedAndTheOutageIsLoggedOnceEachWay() throws Exception {
        FakeFnNode a = rig.node();
        FakeFnNode b = rig.node();
        HealthChecker checker = rig.checker(HealthRig.settings(Duration.ofMillis(100), 1, 1, Duration.ofSeconds(1)));
        checker.start().get(5, TimeUnit.SECONDS);

        rig.store.failing(true);
        int listings = rig.store.listings();
        b.healthStatus(503);

        await().atMost(Duration.ofSeconds(5)).until(() -> !rig.published().contains(b.address()));
        await().atMost(Duration.ofSeconds(5)).until(() -> rig.store.listings() >= listings + 5);
        assertThat(rig.published()).containsExactly(a.address());
        assertThat(checker.states()).containsOnlyKeys(a.address(), b.address());
        assertThat(logs.messages(Level.WARN)).containsExactly(
                "cannot read the node list from fake store: " + FakeNodeStore.DOWN
                        + "; checking the last known 2 nodes until it can be read");

        rig.store.failing(false);
        rig.store.delete(a.address());

        await().atMost(Duration.ofSeconds(5)).until(() -> !checker.states().containsKey(a.address()));
        int recovered = rig.store.listings();
        await().atMost(Duration.ofSeconds(5)).until(() -> rig.store.listings() >= recovered + 3);
        assertThat(logs.messages(Level.INFO)).containsOnlyOnce("node list readable again from fake store");
        assertThat(logs.messages(Level.WARN)).hasSize(1);
        assertThat(rig.published()).isEmpty();
    }

    @Test
    void storeDownAtStartCompletesStartAndNodesArriveWhenItRecovers() throws Exception {
        FakeFnNode a = rig.node();
        rig.store.failing(true);
        HealthChecker checker = rig.checker(HealthRig.settings(Duration.ofMillis(100), 1, 1, Duration.ofSeconds(1)));

        checker.start().get(5, TimeUnit.SECONDS);

        assertThat(checker.states()).isEmpty();
        assertThat(rig.published()).isEmpty();
        assertThat(logs.messages(Level.WARN)).containsExactly(
                "cannot read the node list from fake store: " + FakeNodeStore.DOWN
                        + "; checking the last known 0 nodes until it can be read");

        rig.store.failing(false);

        await().atMost(Duration.ofSeconds(5)).until(() -> rig.published().contains(a.address()));
    }

    @Test
    void stateChangesAreLoggedOnceNotEveryRound() throws Exception {
        FakeFnNode a = rig.node();
        HealthChecker checker = rig.checker(HealthRig.settings(Duration.ofMillis(100), 1, 1, Duration.ofSeconds(1)));
        checker.start().get(5, TimeUnit.SECONDS);

        a.healthStatus(503);
        await().atMost(Duration.ofSeconds(5)).until(() -> !rig.published().contains(a.address()));
        int listings = rig.store.listings();
        await().atMost(Duration.ofSeconds(5)).until(() -> rig.store.listings() >= listings + 3);

        assertThat(logs.messages(Level.INFO)).containsExactly(
                "node " + a.address() + " is up",
                "node " + a.address() + " is down: GET /version answered 503");
    }
}
