package io.fnlb.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fnlb.nodes.NodeAddress;
import io.fnlb.testing.FakeFnNode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §6, §7: nodes added and deleted through this instance's admin API or another instance. */
class NodeListChangesTest {

    private final HealthRig rig = new HealthRig();

    @AfterEach
    void tearDown() throws Exception {
        rig.close();
    }

    @Test
    void nodeDeletedThroughTheAdminApiLeavesTheSnapshotAtOnce() throws Exception {
        FakeFnNode a = rig.node();
        FakeFnNode b = rig.node();
        HealthChecker checker = rig.checker(HealthRig.settings(Duration.ofMillis(100), 2, 1, Duration.ofSeconds(1)));
        checker.start().get(5, TimeUnit.SECONDS);
        assertThat(rig.published()).containsExactlyInAnyOrder(a.address(), b.address());

        rig.store.delete(b.address());
        checker.nodeDeleted(b.address());

        assertThat(rig.published()).containsExactly(a.address());
        assertThat(checker.states()).containsOnlyKeys(a.address());
        int listings = rig.store.listings();
        await().atMost(Duration.ofSeconds(5)).until(() -> rig.store.listings() >= listings + 3);
        assertThat(checker.states()).containsOnlyKeys(a.address());
    }

    @Test
    void nodeDeletedWhileARoundReadsTheStoreDoesNotComeBack() throws Exception {
        FakeFnNode a = rig.node();
        FakeFnNode b = rig.node();
        HealthChecker checker = rig.checker(HealthRig.settings(Duration.ofMillis(100), 2, 1, Duration.ofSeconds(1)));
        checker.start().get(5, TimeUnit.SECONDS);

        rig.store.holdListings();
        await().atMost(Duration.ofSeconds(5)).until(rig.store::listingHeld);
        rig.store.delete(b.address());
        checker.nodeDeleted(b.address());
        int listings = rig.store.listings();
        rig.store.releaseListings();

        // The held listing still names b; b must stay out for it and for the rounds after it.
        AtomicBoolean reappeared = new AtomicBoolean();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(2)).until(() -> {
            if (checker.states().containsKey(b.address()) || rig.published().contains(b.address())) {
                reappeared.set(true);
            }
            return rig.store.listings() >= listings + 3;
        });
        assertThat(reappeared).isFalse();
        assertThat(rig.published()).containsExactly(a.address());
    }

    @Test
    void nodeDeletedByAnotherInstanceIsForgottenAtTheNextRound() throws Exception {
        FakeFnNode a = rig.node();
        FakeFnNode b = rig.node();
        HealthChecker checker = rig.checker(HealthRig.settings(Duration.ofMillis(100), 2, 1, Duration.ofSeconds(1)));
        checker.start().get(5, TimeUnit.SECONDS);

        rig.store.delete(b.address());

        await().atMost(Duration.ofSeconds(5)).until(() -> !checker.states().containsKey(b.address()));
        assertThat(rig.published()).containsExactly(a.address());
    }

    @Test
    void nodeAddedThroughTheAdminApiIsCheckedWithoutWaitingForARound() throws Exception {
        HealthChecker checker = rig.checker(HealthRig.settings(Duration.ofHours(1), 2, 1, Duration.ofSeconds(1)));
        checker.start().get(5, TimeUnit.SECONDS);
        FakeFnNode added = rig.node();
        NodeAddress refused = HealthRig.refusedAddress();
        rig.store.add(refused);

        checker.nodeAdded(added.address());
        checker.nodeAdded(refused);

        await().atMost(Duration.ofSeconds(3)).until(() -> rig.published().contains(added.address()));
        await().atMost(Duration.ofSeconds(3)).until(() -> checker.lastFailure(refused).isPresent());
        assertThat(checker.lastFailure(refused)).contains("connection refused");
        assertThat(checker.states()).containsOnlyKeys(added.address(), refused);
        assertThat(rig.store.listings()).isEqualTo(1);
    }

    @Test
    void addedNodeIsNotRoutedBeforeItsFirstCheck() throws Exception {
        HealthChecker checker = rig.checker(HealthRig.settings(Duration.ofHours(1), 2, 1, Duration.ofSeconds(30)));
        checker.start().get(5, TimeUnit.SECONDS);
        FakeFnNode slow = rig.node().hangHealth(true);

        checker.nodeAdded(slow.address());

        await().atMost(Duration.ofSeconds(3)).until(() -> slow.requestCount("/version") == 1);
        assertThat(checker.states()).containsEntry(slow.address(), false);
        assertThat(rig.published()).isEmpty();
    }

    @Test
    void nodeAddedByAnotherInstanceIsCheckedAtTheNextRound() throws Exception {
        HealthChecker checker = rig.checker(HealthRig.settings(Duration.ofMillis(100), 2, 1, Duration.ofSeconds(1)));
        checker.start().get(5, TimeUnit.SECONDS);

        FakeFnNode added = rig.node();

        await().atMost(Duration.ofSeconds(5)).until(() -> rig.published().contains(added.address()));
        assertThat(checker.states()).containsEntry(added.address(), true);
    }
}
