package io.fnlb.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.fnlb.nodes.NodeAddress;
import io.fnlb.nodes.NodeSet;
import io.fnlb.testing.FakeFnNode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §8: the first round is over, and its healthy nodes published, when start() completes. */
class HealthCheckerFirstRoundTest {

    // No second round during a test: whatever is known after start() came from the first one.
    private static final Duration NEVER_AGAIN = Duration.ofHours(1);

    private final HealthRig rig = new HealthRig();

    @AfterEach
    void tearDown() throws Exception {
        rig.close();
    }

    @Test
    void startCompletesWithTheFirstRoundsResultsPublished() throws Exception {
        FakeFnNode up = rig.node();
        FakeFnNode sick = rig.node().healthStatus(503);
        NodeAddress refused = HealthRig.refusedAddress();
        rig.store.add(refused);
        HealthChecker checker = rig.checker(HealthRig.settings(NEVER_AGAIN, 2, 1, Duration.ofSeconds(2)));

        checker.start().get(5, TimeUnit.SECONDS);

        assertThat(rig.published()).containsExactly(up.address());
        assertThat(checker.states()).containsOnly(
                entry(up.address(), true), entry(sick.address(), false), entry(refused, false));
        assertThat(checker.lastFailure(up.address())).isEmpty();
        assertThat(checker.lastFailure(sick.address())).contains("GET /version answered 503");
        assertThat(checker.lastFailure(refused)).contains("connection refused");
        assertThat(up.requestCount("/version")).isEqualTo(1);
    }

    @Test
    void publishedNodesCarryTheirResolvedAddress() throws Exception {
        FakeFnNode node = rig.node();
        NodeAddress byName = NodeAddress.parse("localhost:" + node.port());
        rig.store.delete(node.address());
        rig.store.add(byName);
        HealthChecker checker = rig.checker(HealthRig.settings(NEVER_AGAIN, 2, 1, Duration.ofSeconds(2)));

        checker.start().get(5, TimeUnit.SECONDS);

        NodeSet published = rig.healthy.current();
        assertThat(published.nodes()).containsExactly(byName);
        InetSocketAddress address = published.socketAddress(0);
        assertThat(address.isUnresolved()).isFalse();
        assertThat(address.getAddress().isLoopbackAddress()).isTrue();
        assertThat(address.getPort()).isEqualTo(node.port());
    }

    @Test
    void unresolvableHostIsDownSayingSo() throws Exception {
        NodeAddress nowhere = NodeAddress.parse("no-such-host.invalid:8080");
        rig.store.add(nowhere);
        HealthChecker checker = rig.checker(HealthRig.settings(NEVER_AGAIN, 2, 1, Duration.ofSeconds(2)));

        checker.start().get(10, TimeUnit.SECONDS);

        assertThat(checker.states()).containsOnly(entry(nowhere, false));
        assertThat(checker.lastFailure(nowhere)).contains("cannot resolve host no-such-host.invalid");
        assertThat(rig.published()).isEmpty();
    }

    @Test
    void hungNodeBoundsTheFirstRoundByTheTimeout() throws Exception {
        FakeFnNode up = rig.node();
        FakeFnNode hung = rig.node().hangHealth(true);
        HealthChecker checker = rig.checker(HealthRig.settings(NEVER_AGAIN, 2, 1, Duration.ofMillis(300)));

        checker.start().get(5, TimeUnit.SECONDS);

        assertThat(rig.published()).containsExactly(up.address());
        assertThat(checker.states()).containsOnly(entry(up.address(), true), entry(hung.address(), false));
        assertThat(checker.lastFailure(hung.address())).contains("no answer within 300 ms");
    }

    @Test
    void emptyStoreCompletesStartWithNothingPublished() throws Exception {
        HealthChecker checker = rig.checker(HealthRig.settings(NEVER_AGAIN, 2, 1, Duration.ofSeconds(1)));

        checker.start().get(5, TimeUnit.SECONDS);

        assertThat(checker.states()).isEmpty();
        assertThat(rig.published()).isEmpty();
    }

    @Test
    void startingAgainRunsNoSecondFirstRound() throws Exception {
        FakeFnNode up = rig.node();
        HealthChecker checker = rig.checker(HealthRig.settings(NEVER_AGAIN, 2, 1, Duration.ofSeconds(1)));
        checker.start().get(5, TimeUnit.SECONDS);

        checker.start().get(5, TimeUnit.SECONDS);

        assertThat(up.requestCount("/version")).isEqualTo(1);
        assertThat(rig.store.listings()).isEqualTo(1);
    }
}
