package io.fnlb.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fnlb.testing.FakeFnNode;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §2 {@code -min-api-version}: a node older than the minimum fails its check. */
class MinApiVersionRejectsOldNodesTest {

    private final HealthRig rig = new HealthRig();

    @AfterEach
    void tearDown() throws Exception {
        rig.close();
    }

    @Test
    void onlyNodesAtOrAboveTheMinimumArePublished() throws Exception {
        FakeFnNode exact = rig.node().version("0.3.0");
        FakeFnNode newer = rig.node().version("0.3.146");
        FakeFnNode old = rig.node().version("0.2.9");
        FakeFnNode preRelease = rig.node().version("0.3.0-rc.1");
        FakeFnNode garbage = rig.node().version("latest");
        HealthChecker checker = rig.checker(settings("/version", Duration.ofHours(1)));

        checker.start().get(5, TimeUnit.SECONDS);

        assertThat(rig.published()).containsExactlyInAnyOrder(exact.address(), newer.address());
        assertThat(checker.lastFailure(old.address()))
                .contains("node version 0.2.9 is older than the minimum 0.3.0");
        assertThat(checker.lastFailure(preRelease.address()))
                .contains("node version 0.3.0-rc.1 is older than the minimum 0.3.0");
        assertThat(checker.lastFailure(garbage.address()))
                .contains("node version 'latest' is not a semantic version x.y.z");
    }

    @Test
    void upgradedNodeComesBack() throws Exception {
        FakeFnNode old = rig.node().version("0.2.9");
        HealthChecker checker = rig.checker(settings("/version", Duration.ofMillis(100)));
        checker.start().get(5, TimeUnit.SECONDS);
        assertThat(rig.published()).isEmpty();

        old.version("0.3.1");

        await().atMost(Duration.ofSeconds(5)).until(() -> rig.published().contains(old.address()));
        assertThat(checker.lastFailure(old.address())).isEmpty();
    }

    @Test
    void withAnotherHealthPathTheVersionIsStillReadFromVersion() throws Exception {
        FakeFnNode current = rig.node().version("0.3.1");
        FakeFnNode old = rig.node().version("0.2.0");
        HealthChecker checker = rig.checker(settings("/health", Duration.ofHours(1)));

        checker.start().get(5, TimeUnit.SECONDS);

        assertThat(rig.published()).containsExactly(current.address());
        assertThat(current.requestCount("/version")).isEqualTo(1);
        assertThat(current.requestCount("/health")).isEqualTo(1);
        assertThat(old.requestCount("/health")).isZero();
        assertThat(checker.lastFailure(old.address()))
                .contains("node version 0.2.0 is older than the minimum 0.3.0");
        // Both requests of a check share the node's one connection.
        assertThat(current.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void failingVersionAnswerFailsOnItsStatusBeforeItsBody() throws Exception {
        FakeFnNode node = rig.node().version("0.3.1").healthStatus(503);
        HealthChecker checker = rig.checker(settings("/version", Duration.ofHours(1)));

        checker.start().get(5, TimeUnit.SECONDS);

        assertThat(rig.published()).isEmpty();
        assertThat(checker.lastFailure(node.address())).contains("GET /version answered 503");
    }

    private static HealthSettings settings(String path, Duration interval) {
        return new HealthSettings(interval, path, 1, 1, Duration.ofSeconds(2), Optional.of("0.3.0"));
    }
}
