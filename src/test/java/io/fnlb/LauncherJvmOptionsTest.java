package io.fnlb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fnlb.testing.FnlbProcess;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JVM options {@code bin/fnlb} starts the JVM with: its own defaults, and FNLB_JVM_EXTRA_OPTS
 * after them, so that an extra option overrides the default it repeats and keeps all the others.
 */
class LauncherJvmOptionsTest {

    @Test
    void extraOptionsComeAfterTheDefaultsAndOverrideTheOneTheyRepeat() throws Exception {
        // -XX:+PrintCommandLineFlags makes the JVM print the options it was given, as it took them.
        try (FnlbProcess p = FnlbProcess.startWithLauncherDefaults(
                Map.of("FNLB_JVM_EXTRA_OPTS", "-XX:+PrintCommandLineFlags -Xmx96m"), "-help")) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).isZero();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> p.output().stream().anyMatch(line -> line.contains("-XX:MaxHeapSize=")));
            String flags = p.output().stream().filter(line -> line.contains("-XX:MaxHeapSize=")).findFirst().orElseThrow();
            // 96 MiB, not the default 64 MiB: the later -Xmx wins.
            assertThat(flags).contains("-XX:MaxHeapSize=100663296");
            // The other defaults are still there.
            assertThat(flags).contains("-XX:+UseSerialGC", "-XX:-UseBimorphicInlining", "-XX:MaxDirectMemorySize=67108864");
        }
    }
}
