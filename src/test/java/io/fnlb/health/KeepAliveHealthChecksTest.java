package io.fnlb.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.fnlb.testing.FakeFnNode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Checks are cheap: one kept-alive connection per node, reopened only when it is lost. */
class KeepAliveHealthChecksTest {

    private final HealthRig rig = new HealthRig();

    private final LogCapture logs = new LogCapture(HealthChecker.class);

    @AfterEach
    void tearDown() throws Exception {
        logs.close();
        rig.close();
    }

    @Test
    void roundsReuseOneConnectionPerNode() throws Exception {
        FakeFnNode a = rig.node();
        FakeFnNode b = rig.node();
        HealthChecker checker = rig.checker(HealthRig.settings(Duration.ofMillis(50), 2, 1, Duration.ofSeconds(1)));
        checker.start().get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> a.requestCount("/version") >= 10);

        assertThat(a.connectionsAccepted()).isEqualTo(1);
        assertThat(b.connectionsAccepted()).isEqualTo(1);
        assertThat(a.lastRequest()).hasValueSatisfying(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.uri()).isEqualTo("/version");
            assertThat(r.header("Host")).contains(a.address().toString());
            assertThat(r.header("User-Agent")).contains("fnlb-health");
        });
    }

    @Test
    void nodeThatResetsEveryRequestIsDown() throws Exception {
        FakeFnNode node = rig.node().failMode(FakeFnNode.FailMode.RESET_ON_REQUEST);
        HealthChecker checker = rig.checker(HealthRig.settings(Duration.ofHours(1), 2, 1, Duration.ofSeconds(2)));

        checker.start().get(5, TimeUnit.SECONDS);

        assertThat(checker.states()).containsEntry(node.address(), false);
        assertThat(checker.lastFailure(node.address())).contains("connection reset before an answer to GET /version");
    }

    @Test
    void connectionClosedByTheNodeAsItIsReusedIsRetriedOnceOnAFreshOne() throws Exception {
        FakeFnNode node = rig.node().failMode(FakeFnNode.FailMode.CLOSE_REUSED_CONNECTION);
        HealthChecker checker = rig.checker(HealthRig.settings(Duration.ofMillis(50), 1, 1, Duration.ofSeconds(1)));
        checker.start().get(5, TimeUnit.SECONDS);

        // From the second round on, each check's first attempt dies with the reused connection.
        await().atMost(Duration.ofSeconds(5)).until(() -> node.connectionsAccepted() >= 5);

        assertThat(checker.states()).containsEntry(node.address(), true);
        assertThat(checker.lastFailure(node.address())).isEmpty();
        assertThat(logs.messages(Level.INFO)).containsExactly("node " + node.address() + " is up");
    }

    @Test
    void connectionDroppedBetweenRoundsIsReopenedWithoutAFailure() throws Exception {
        FakeFnNode node = rig.node();
        HealthChecker checker = rig.checker(HealthRig.settings(Duration.ofMillis(100), 1, 1, Duration.ofSeconds(1)));
        checker.start().get(5, TimeUnit.SECONDS);

        // stop() then start() closes every open connection while the port keeps listening.
        node.stop();
        node.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> node.connectionsAccepted() >= 2);
        long before = node.requestCount("/version");
        await().atMost(Duration.ofSeconds(5)).until(() -> node.requestCount("/version") >= before + 3);
        assertThat(checker.states()).containsEntry(node.address(), true);
        assertThat(logs.messages(Level.INFO)).containsExactly("node " + node.address() + " is up");
    }
}
