package io.fnlb.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.fnlb.nodes.NodeAddress;
import io.fnlb.testing.FakeFnNode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 4, fault 1: a request that cannot connect to a node reports it ({@link
 * HealthChecker#markDown}); the node leaves routing without waiting for a round, and only
 * passing checks bring it back. The report never adds or revives a node.
 */
class PassiveMarkDownTest {

    private final HealthRig rig = new HealthRig();

    @AfterEach
    void tearDown() throws Exception {
        rig.close();
    }

    @Test
    void reportedNodeLeavesAtOnceAndStaysOutUntilTheNextRounds() throws Exception {
        FakeFnNode a = rig.node();
        FakeFnNode b = rig.node();
        HealthChecker checker = rig.checker(HealthRig.settings(Duration.ofMinutes(1), 2, 1, Duration.ofSeconds(1)));
        checker.start().get(5, TimeUnit.SECONDS);
        assertThat(rig.published()).containsExactlyInAnyOrder(a.address(), b.address());

        try (LogCapture log = new LogCapture(HealthChecker.class)) {
            checker.markDown(b.address(), "connection refused");
            await().atMost(Duration.ofSeconds(1)).until(() -> !rig.published().contains(b.address()));
            // A burst of reports for the same failure changes nothing more.
            checker.markDown(b.address(), "connection refused");
            checker.markDown(b.address(), "connection refused");
            assertThat(rig.published()).containsExactly(a.address());
            assertThat(checker.states()).containsEntry(b.address(), false).containsEntry(a.address(), true);
            assertThat(checker.lastFailure(b.address())).contains("connection refused");
            await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(log.messages(Level.INFO))
                    .containsExactly("node " + b.address() + " is down: connection refused (seen by a request; checks will bring it back)"));
        }
    }

    @Test
    void passingChecksBringTheNodeBackAfterTheHealthyThreshold() throws Exception {
        FakeFnNode node = rig.node();
        HealthChecker checker = rig.checker(HealthRig.settings(Duration.ofMillis(150), 2, 2, Duration.ofSeconds(1)));
        checker.start().get(5, TimeUnit.SECONDS);
        assertThat(rig.published()).containsExactly(node.address());

        long checksBefore = node.requestCount("/version");
        checker.markDown(node.address(), "connection timed out");
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(1)).until(() -> rig.published().isEmpty());
        await().atMost(Duration.ofSeconds(5)).until(() -> rig.published().contains(node.address()));
        assertThat(node.requestCount("/version") - checksBefore).isGreaterThanOrEqualTo(2);
        assertThat(checker.states()).containsEntry(node.address(), true);
    }

    @Test
    void reportAboutADeletedOrUnknownNodeNeverBringsItIn() throws Exception {
        FakeFnNode a = rig.node();
        FakeFnNode b = rig.node();
        HealthChecker checker = rig.checker(HealthRig.settings(Duration.ofMillis(100), 2, 1, Duration.ofSeconds(1)));
        checker.start().get(5, TimeUnit.SECONDS);
        rig.store.delete(b.address());
        checker.nodeDeleted(b.address());
        NodeAddress stranger = HealthRig.refusedAddress();

        checker.markDown(b.address(), "connection refused");
        checker.markDown(stranger, "connection refused");
        int listings = rig.store.listings();
        await().atMost(Duration.ofSeconds(5)).until(() -> rig.store.listings() >= listings + 2);

        assertThat(checker.states()).containsOnlyKeys(a.address());
        assertThat(rig.published()).containsExactly(a.address());
    }

    @Test
    void reportAboutANodeAlreadyDownChangesNeitherRoutingNorTheLog() throws Exception {
        FakeFnNode node = rig.node();
        node.healthStatus(500);
        HealthChecker checker = rig.checker(HealthRig.settings(Duration.ofMinutes(1), 2, 1, Duration.ofSeconds(1)));
        checker.start().get(5, TimeUnit.SECONDS);
        assertThat(checker.states()).containsEntry(node.address(), false);

        try (LogCapture log = new LogCapture(HealthChecker.class)) {
            checker.markDown(node.address(), "connection refused");
            // Ordered after the report on the health loop: a node added now is checked there.
            checker.nodeAdded(rig.node().address());
            await().atMost(Duration.ofSeconds(5)).until(() -> rig.published().size() == 1);
            assertThat(log.messages(Level.INFO)).noneMatch(m -> m.contains(node.address() + " is down"));
            assertThat(checker.lastFailure(node.address())).contains("GET /version answered 500");
        }
    }
}
