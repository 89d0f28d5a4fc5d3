package io.fnlb.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fixture's cleanup leaves no fnlb behind, also when the launcher's shell stands in front of it. */
@Timeout(120)
class FnlbProcessTest {

    @Test
    void closingALauncherStartedFnlbAlsoStopsItsJvm() throws Exception {
        long jvm;
        long shell;
        try (FnlbProcess lb = FnlbProcess.startWithLauncherDefaults(Map.of(), "-listen", "127.0.0.1:0",
                "-nodes", "127.0.0.1:9")) {
            lb.awaitListening(Duration.ofSeconds(60));
            shell = lb.pid();
            jvm = lb.launchedJvmPid();
            assertThat(jvm).isNotEqualTo(shell);
            assertThat(ProcessHandle.of(jvm)).get().matches(ProcessHandle::isAlive);
        }
        assertThat(ProcessHandle.of(shell).filter(ProcessHandle::isAlive)).isEmpty();
        // The JVM is no child of this one, so it is reaped by whoever adopted it: wait for that.
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(jvm).filter(ProcessHandle::isAlive), Optional::isEmpty);
    }
}
